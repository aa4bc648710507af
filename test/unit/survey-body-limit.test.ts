import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { MAX_FORM_BODY_BYTES, parseFeedbackAnswer } from '../../domain/surveys.ts';
import { handler } from '../../functions/survey-api.ts';
import { feedbackFormPage } from '../../services/phases/feedback/survey.ts';

/*
 * The survey API's body limit against what the forms allow: a page that lets a person type 2,000
 * characters must not refuse them with 413 because each Japanese character is 9 bytes once posted.
 */

// The handler's failure past the size check (no store here) is expected: keep it out of the test's output.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

/** The feedback form as a person reads it, and each of its text fields with its maxlength. */
function feedbackTextFields(): Array<{ name: string; maxlength: number }> {
  const html = feedbackFormPage({ language: 'pt-BR', action: './v1.token', binding: 'b'.repeat(43), programName: 'P', partners: [], skills: [], goals: [] });
  return [...html.matchAll(/<textarea id="[^"]+" name="([^"]+)" maxlength="(\d+)"[^>]*>/g)].map((m) => ({ name: m[1] as string, maxlength: Number(m[2]) }));
}

/** The body a browser posts with every text field filled to its maxlength with `character`. */
function fullBody(character: string, fields = feedbackTextFields()): string {
  return new URLSearchParams([
    ['_action', 'answer'],
    ['_bind', 'b'.repeat(43)],
    ...fields.map(({ name, maxlength }): [string, string] => [name, character.repeat(maxlength)]),
    ['satisfaction', '10'],
  ]).toString();
}

/**
 * survey-api's own handler. The size check comes before anything else: a body within the limit
 * goes on to the store, which a unit test does not have (so it fails there, with a 5xx page).
 */
const post = (body: string) =>
  handler(
    {
      rawPath: '/s/v1.token',
      body,
      isBase64Encoded: false,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      requestContext: { http: { method: 'POST' } },
    } as unknown as APIGatewayProxyEventV2,
    { awsRequestId: 'r', functionName: 'survey', getRemainingTimeInMillis: () => 10_000 } as unknown as Context,
  );

describe('the survey API’s body limit', () => {
  it('accepts a feedback answer with every question filled to its maxlength in Japanese, the costliest encoding', async () => {
    const fields = feedbackTextFields();
    expect(fields).toHaveLength(6);
    const body = fullBody('語', fields);
    expect(Buffer.byteLength(body)).toBeGreaterThan(64 * 1024);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_FORM_BODY_BYTES);
    expect((await post(body)).statusCode).not.toBe(413);
    // And the answer reads as what was typed (the skills the organization lacks are split on commas: one long one here).
    const answer = parseFeedbackAnswer(
      fullBody(
        '語',
        fields.filter((f) => f.name !== 'missingSkills'),
      ),
    );
    expect(answer.worked).toHaveLength(2000);
  });

  it('accepts four answers of 2,000 Japanese characters, as a reviewer typed them, and still refuses a body past the limit', async () => {
    const four = feedbackTextFields().slice(0, 4);
    expect((await post(fullBody('語', four))).statusCode).not.toBe(413);
    const tooLarge = await post(`worked=${'x'.repeat(MAX_FORM_BODY_BYTES)}`);
    expect(tooLarge.statusCode).toBe(413);
    expect(MAX_FORM_BODY_BYTES).toBeLessThan(256 * 1024);
  });
});
