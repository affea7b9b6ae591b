/**
 * Engine text (alert messages, symbols, engine names) made inert for each chat service, so an
 * engine that writes `@everyone`, `<!channel>`, `<@U123>` or a disguised link `[bank](https://…)`
 * can neither ping a whole channel nor dress up a link.
 */

/**
 * Slack's three control characters become entities (its documented rule): `<!channel>`,
 * `<@U123>` and `<https://evil|your bank>` are shown as typed and never parsed.
 *
 * @example slackText('<!channel> a & b') // → '&lt;!channel&gt; a &amp; b'
 */
export function slackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Discord markdown and mention syntax; a backslash shows any of them as typed. */
const DISCORD_SPECIAL = /[\\*_~`|>#[\]()<@:-]/g;

/**
 * Discord: every markdown and mention character is backslash-escaped (`[text](url)` stays
 * text, `@everyone` and `<@123>` stay text). The payload also sets `allowed_mentions` to none,
 * so even text that slipped through pings nobody.
 *
 * @example discordText('@everyone [bank](https://x)') // → '\\@everyone \\[bank\\]\\(https\\://x\\)'
 */
export function discordText(text: string): string {
  return text.replace(DISCORD_SPECIAL, (c) => `\\${c}`);
}

/**
 * Telegram without `parse_mode` parses no markup, but still links `@username` mentions and
 * `/commands`: a word joiner after `@` and `/` keeps them plain text.
 *
 * @example telegramText('@admin /start') // → '@\u2060admin /\u2060start'
 */
export function telegramText(text: string): string {
  return text.replace(/([@/])(?=\w)/g, '$1\u2060');
}
