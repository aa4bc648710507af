import { escapeHtml } from './html.ts';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface SummaryLine {
  label: string;
  value: string;
}

/** A plain summary email for HR or ops. */
export function summaryEmail(subject: string, intro: string, lines: SummaryLine[], footer?: string): EmailContent {
  const text = [intro, '', ...lines.map((l) => `${l.label}: ${l.value}`), ...(footer ? ['', footer] : [])].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    `<p>${escapeHtml(intro)}</p>`,
    '<table>',
    ...lines.map((l) => `<tr><th style="text-align:left;padding-right:1rem">${escapeHtml(l.label)}</th><td>${escapeHtml(l.value)}</td></tr>`),
    '</table>',
    ...(footer ? [`<p>${escapeHtml(footer)}</p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
