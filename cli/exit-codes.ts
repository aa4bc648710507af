/** Exit codes of the `tandem` command (documented in the README). */
export const EXIT = { ok: 0, failed: 1, badInput: 2, missingPrerequisite: 3, unexpected: 4 } as const;
