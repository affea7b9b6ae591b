/** The kinds of notification channel (`--notify-level KIND=LEVEL` names them). */
export type ChannelKind = 'webhook' | 'slack' | 'discord' | 'telegram' | 'email' | 'alertmanager';
export const CHANNEL_KINDS: readonly ChannelKind[] = [
  'webhook',
  'slack',
  'discord',
  'telegram',
  'email',
  'alertmanager',
];
