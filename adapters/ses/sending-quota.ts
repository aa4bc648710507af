import { GetAccountCommand, SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * The account's maximum send rate (emails per second) as SES v2 GetAccount reports it, or
 * undefined when it cannot be read (no ses:GetAccount right, a stand-in without the
 * operation): the caller then falls back to configuration or a safe default.
 */
export async function sesMaxSendRate(client = new SESv2Client({})): Promise<number | undefined> {
  try {
    const { SendQuota } = await client.send(new GetAccountCommand({}));
    const rate = SendQuota?.MaxSendRate;
    return rate !== undefined && Number.isFinite(rate) && rate > 0 ? rate : undefined;
  } catch {
    return undefined;
  }
}
