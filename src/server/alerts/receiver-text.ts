/**
 * The `text` of an event as each chat receiver reads it. Names and reasons in it were typed by people, so they are
 * escaped as each receiver documents, or a connector named `<!channel> <https://evil.example/r|Re-enter your AWS keys>`
 * would ping the channel and show a disguised link in the team's chat:
 * - Slack (incoming webhooks, `text` in mrkdwn): only `&`, `<` and `>` are control characters, escaped as `&amp;`,
 *   `&lt;`, `&gt;` (api.slack.com/reference/surfaces/formatting#escaping);
 * - Microsoft Teams (connector cards and Workflows, `text` in Markdown with a subset of HTML): `&`, `<`, `>` as HTML
 *   entities, and a backslash before each Markdown character (`\ * _ ~ ` [ ] ( ) #`) outside web addresses, so a name
 *   cannot make a link, a heading or emphasis (learn.microsoft.com, "Text formatting in cards").
 * Programs (any other receiver) get the text as it is: they read the structured fields.
 */
export type Receiver = 'slack' | 'teams' | 'other';

const TEAMS_HOSTS = [/(^|\.)webhook\.office\.com$/, /^outlook\.office\.com$/, /(^|\.)logic\.azure\.com$/, /(^|\.)api\.powerplatform\.com$/];
const SLACK_HOSTS = [/^hooks\.slack\.com$/, /^hooks\.slack-gov\.com$/];

export function receiverOf(url: URL): Receiver {
  const host = url.hostname.toLowerCase();
  if (SLACK_HOSTS.some((pattern) => pattern.test(host))) return 'slack';
  if (TEAMS_HOSTS.some((pattern) => pattern.test(host))) return 'teams';
  return 'other';
}

const htmlEntities = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const WEB_ADDRESS = /(https?:\/\/[^\s<>]+)/;

export function textFor(receiver: Receiver, text: string): string {
  if (receiver === 'slack') return htmlEntities(text);
  if (receiver === 'teams') {
    // Split on web addresses (odd parts), which Teams links as they are; everything else is escaped.
    return text
      .split(WEB_ADDRESS)
      .map((part, index) => (index % 2 === 1 ? part : htmlEntities(part).replace(/[\\*_~`[\]()#]/g, '\\$&')))
      .join('');
  }
  return text;
}

/** The event's JSON body as `receiver` should get it: only `text` changes. */
export function bodyFor(receiver: Receiver, payload: string): string {
  if (receiver === 'other') return payload;
  const event = JSON.parse(payload) as { text: string };
  return JSON.stringify({ ...event, text: textFor(receiver, event.text) });
}
