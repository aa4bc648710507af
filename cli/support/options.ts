import { InvalidArgumentError } from 'commander';

/** An option's whole number from 1 to `max` (commander turns the refusal into "error: option '--limit <n>' argument '0' is invalid. …", exit 2). */
export const wholeNumberUpTo =
  (max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    return n;
  };
