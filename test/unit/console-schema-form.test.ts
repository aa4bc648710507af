import { describe, expect, it } from 'vitest';
import { programSchema } from '../../domain/program.ts';
import { formFields, readFields, renderFields } from '../../services/console/schema-form.ts';

const fields = formFields(programSchema);
const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.set(name, value);
  return data;
};
/** Every input of the program form as a browser posts it when nobody touched the optional ones. */
const untouched = () => {
  const entries: Record<string, string> = {};
  const walk = (list: typeof fields) => {
    for (const f of list)
      if (f.kind === 'group') walk(f.fields);
      else entries[f.name] = f.kind === 'choice' && !f.optional ? (f.options[0] as string) : '';
  };
  walk(fields);
  return entries;
};

describe('the console form built from the program schema', () => {
  it('reads a text area’s line breaks, which browsers post as CRLF, as the plain line breaks the program was saved with', () => {
    const { value } = readFields(fields, form({ ...untouched(), goalsAndExpectations: 'Meet every two weeks.\r\nShare one skill each.\rAsk.' }));
    expect(value.goalsAndExpectations).toBe('Meet every two weeks.\nShare one skill each.\nAsk.');
  });

  it('leaves optional settings nobody filled in out of the program, instead of posting them empty', () => {
    const { value, issues } = readFields(fields, form(untouched()));
    expect(issues).toEqual([]);
    expect(value).not.toHaveProperty('approval');
    expect(value).not.toHaveProperty('timeZone');
    expect(value).not.toHaveProperty('firstMeetingAgenda');
    expect(value).not.toHaveProperty('phaseWindows.enrollment');
  });

  it('reads a yes/no setting as a boolean, and an optional group once one of its fields is set', () => {
    const { value } = readFields(fields, form({ ...untouched(), 'approval.required': 'true', 'approval.onDeadline': 'stop' }));
    expect(value.approval).toEqual({ required: true, onDeadline: 'stop' });
  });

  it('offers "not set" only for optional choices, and shows a stored yes/no setting as chosen', () => {
    const html = renderFields(fields, { language: 'en', approval: { required: false } }, new Map(), (f) => ({ label: f.name }));
    expect(html).toMatch(/<select id="f-language" name="language"><option value="pt-BR">/);
    expect(html).toMatch(
      /<select id="f-approval-required" name="approval.required"><option value=""><\/option><option value="true">true<\/option><option value="false" selected>/,
    );
  });
});
