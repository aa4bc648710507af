/**
 * The load generator of `npm run bench:load`, in its own process so that autocannon does not share
 * an event loop with the survey server it measures. Reads a plan (JSON file: base URL, rate,
 * duration, connections, page paths, answer posts), drives autocannon at the fixed overall rate,
 * and prints one JSON line: autocannon's result and the status codes seen per kind of request.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadPlan {
  url: string;
  rate: number;
  durationSeconds: number;
  connections: number;
  /** Share of requests that are answer posts (0..1); the rest are page views. */
  postShare: number;
  pages: string[];
  posts: Array<{ path: string; body: string }>;
}

export interface DriverOutput {
  result: autocannon.Result;
  statuses: { page: Record<string, number>; post: Record<string, number> };
  postsSent: number;
  pagesSent: number;
  /** More posts were asked for than the plan holds (a post would have replayed someone's answer: the run is not valid). */
  postsExhausted: boolean;
  /** CPU seconds the load generator itself used (user + system). */
  cpuSeconds: number;
}

type Kind = 'page' | 'post';

const plan = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as LoadPlan;
const statuses: DriverOutput['statuses'] = { page: {}, post: {} };
let sent = 0;
let postsSent = 0;
let pagesSent = 0;
let postsExhausted = false;
/** Every tenth request, this many are posts: a fixed, even mix (e.g. 3 of 10 for 30 %). */
const postsPerTen = Math.round(plan.postShare * 10);

const result = await autocannon({
  url: plan.url,
  connections: plan.connections,
  overallRate: plan.rate,
  // A number of requests, not a duration: the run ends when every request has its answer, so none is cut off uncounted.
  amount: plan.rate * plan.durationSeconds,
  timeout: 10,
  requests: [
    {
      // Each connection has one request in flight (no pipelining), so its context names the request being answered.
      setupRequest(request, context) {
        const connection = context as { kind?: Kind };
        const wantsPost = sent++ % 10 < postsPerTen;
        const post = wantsPost ? plan.posts[postsSent] : undefined;
        if (wantsPost && !post) postsExhausted = true;
        if (post) {
          postsSent++;
          connection.kind = 'post';
          return { ...request, method: 'POST', path: post.path, body: post.body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
        }
        const path = plan.pages[pagesSent++ % plan.pages.length] as string;
        connection.kind = 'page';
        return { ...request, method: 'GET', path, body: undefined, headers: {} };
      },
      onResponse(status, _body, context) {
        const counts = statuses[(context as { kind: Kind }).kind];
        counts[status] = (counts[status] ?? 0) + 1;
      },
    },
  ],
});

const cpu = process.cpuUsage();
const output: DriverOutput = { result, statuses, postsSent, pagesSent, postsExhausted, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
process.stdout.write(`${JSON.stringify(output)}\n`);
