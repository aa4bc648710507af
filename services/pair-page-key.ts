/** The phase key of a member's pair-page link (services/pair-page.ts); apart so that senders need not bundle the page. */
export const PAIR_PAGE_KEY = 'pair';
