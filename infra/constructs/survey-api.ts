import { ArnFormat, Stack, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionBinding, TandemFunction } from './tandem-function.ts';

export interface SurveyApiProps {
  readonly rateLimit: number;
  readonly burstLimit: number;
  /** Throttle of the routes served by `serveRoute` (the ops page), set on each of those routes. */
  readonly routeRateLimit: number;
  readonly routeBurstLimit: number;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/** The routes behind every emailed link (the survey-api handler takes payload format 2.0). */
export const SURVEY_ROUTES = [
  { method: apigw.HttpMethod.GET, path: '/s/{token}' },
  { method: apigw.HttpMethod.HEAD, path: '/s/{token}' },
  { method: apigw.HttpMethod.POST, path: '/s/{token}' },
] as const;

/** The routes behind the informational sessions' links (the session-api handler, payload format 2.0). */
export const SESSION_ROUTES = [
  { method: apigw.HttpMethod.GET, path: '/session/{token}' },
  { method: apigw.HttpMethod.HEAD, path: '/session/{token}' },
  { method: apigw.HttpMethod.POST, path: '/session/{token}' },
] as const;

/** Methods of the IAM-authorized read-only pages (the ops page). */
const PAGE_METHODS = [apigw.HttpMethod.GET, apigw.HttpMethod.HEAD] as const;

/**
 * The HTTP API behind the emailed links: GET /s/{token} renders a survey page, POST records an
 * answer (HEAD answers as GET does, without a body, for link checkers). The ops page (a catalog entry with a `route`) is served here too, behind IAM
 * authorization. Throttled at the stage; access logs in JSON without the path (the token is a
 * credential) and without the caller's IP address (personal data we do not need).
 */
export class SurveyApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;

  private readonly routeThrottle: { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };

  constructor(scope: Construct, id: string, props: SurveyApiProps) {
    super(scope, id);
    this.routeThrottle = { ThrottlingRateLimit: props.routeRateLimit, ThrottlingBurstLimit: props.routeBurstLimit };
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Tandem survey links: GET /s/{token} shows a survey, POST /s/{token} records the answer.',
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: props.logRemovalPolicy });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTimeEpoch',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
  }

  /** The base URL links are built on (the `$default` stage serves at the API's root). */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /** Serves the survey routes with this handler. */
  serve(handler: TandemFunction): void {
    this.serveLinks('SurveyIntegration', handler, SURVEY_ROUTES);
  }

  /** Serves the informational sessions' routes with this handler. */
  serveSessions(handler: TandemFunction): void {
    this.serveLinks('SessionIntegration', handler, SESSION_ROUTES);
  }

  /** Routes reached by emailed signed links: no authorizer, the handler checks the token. */
  private serveLinks(id: string, handler: TandemFunction, routes: ReadonlyArray<{ method: apigw.HttpMethod; path: string }>): void {
    const integration = new HttpLambdaIntegration(id, handler.function, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
    for (const route of routes) {
      const [created] = this.api.addRoutes({ path: route.path, methods: [route.method], integration });
      if (created) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Participants have no accounts: each link carries an HMAC-signed, expiring token scoped to one participant, cycle and phase, and the handler refuses forged, expired or closed-phase tokens. The stage is throttled.',
        });
      }
    }
  }

  /**
   * Serves a catalog route (the ops page) with its handler: `<path>` and `<path>/{proxy+}`, GET
   * and HEAD, with IAM authorization (callers sign their requests; `invokeArns` names what to grant).
   */
  serveRoute(handler: TandemFunction, route: { readonly path: string; readonly authorization: 'iam' | 'session' }): void {
    const integration = new HttpLambdaIntegration(`${handler.node.id}Integration`, handler.function, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    });
    // A `session` route (the console) signs people in itself: API Gateway lets the browser through, the handler refuses anyone without a session.
    const authorizer = route.authorization === 'iam' ? new HttpIamAuthorizer() : undefined;
    const methods = route.authorization === 'iam' ? PAGE_METHODS : ([...PAGE_METHODS, apigw.HttpMethod.POST] as const);
    const stage = this.stage.node.defaultChild as apigw.CfnStage;
    for (const path of [route.path, `${route.path}/{proxy+}`]) {
      const created = this.api.addRoutes({ path, methods: [...methods], integration, ...(authorizer ? { authorizer } : {}) });
      if (!authorizer) {
        for (const r of created) {
          Validations.of(r).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              'The console signs people in itself (OpenID Connect with Cognito, code flow with PKCE) and checks its encrypted session cookie, the CSRF token of every POST and the role on every request.',
          });
        }
      }
      // Route-level settings (no L2 for them): these routes get their own limits, apart from the participants' links.
      for (const method of methods) stage.addPropertyOverride(`RouteSettings.${method} ${path}`, this.routeThrottle);
    }
  }

  /** Binding: TANDEM_CONSOLE_BASE_URL, where the console is served (the sign-in callback). */
  console(): FunctionBinding {
    return { description: 'console:base-url', bind: (target) => target.setEnvironment('TANDEM_CONSOLE_BASE_URL', this.url) };
  }

  /** The execute-api ARNs a person needs `execute-api:Invoke` on to use a route served by `serveRoute`. */
  invokeArns(path: string): string[] {
    return PAGE_METHODS.flatMap((method) =>
      [path, `${path}/*`].map((p) =>
        Stack.of(this).formatArn({
          service: 'execute-api',
          resource: this.api.apiId,
          resourceName: `${this.stage.stageName}/${method}${p}`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ),
    );
  }

  /** Binding: TANDEM_LINK_BASE_URL, the URL emailed links point at. */
  links(): FunctionBinding {
    return {
      description: 'links:base-url',
      bind: (target) => target.setEnvironment('TANDEM_LINK_BASE_URL', this.url),
    };
  }
}
