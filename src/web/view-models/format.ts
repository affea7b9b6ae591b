/**
 * Formatting for pages: every number and time a trader sees goes through here, so that a
 * missing or non-finite value always reads "—", never "undefined" or "NaN".
 */
import { clockTime } from '../../contract/index.js';

export const MISSING = '—';

/** A value with its text and a direction for colour plus sign/icon (colour-blind safe). */
export interface Signed {
  text: string;
  /** `up` / `down` / `flat` / `none` (missing). */
  tone: 'up' | 'down' | 'flat' | 'none';
  /** ▲ ▼ or nothing: the tone is never carried by colour alone. */
  icon: string;
}

const finite = (value: number | null | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value);

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(digits: number, grouping = true): Intl.NumberFormat {
  const key = `${digits}|${grouping}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      useGrouping: grouping,
    });
    numberFormats.set(key, f);
  }
  return f;
}

/** `12,345.68`; `—` when missing. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  return finite(value) ? numberFormat(digits).format(value) : MISSING;
}

/** `12,345.68 USD` (or `$12,345.68` style avoided: codes are unambiguous across accounts). */
export function formatMoney(value: number | null | undefined, currency: string | null): string {
  if (!finite(value)) return MISSING;
  return currency ? `${formatNumber(value, 2)} ${currency}` : formatNumber(value, 2);
}

/** A money amount with sign, tone and icon: `▲ +1,234.50 USD`. */
export function signedMoney(value: number | null | undefined, currency: string | null): Signed {
  if (!finite(value)) return { text: MISSING, tone: 'none', icon: '' };
  value = roundTo(value, 2); // −0.004 reads "0.00", flat — not "▼ −0.00"

  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  const text = `${sign}${formatMoney(Math.abs(value), currency)}`;
  return { text, tone: toneOf(value), icon: iconOf(value) };
}

/** A percentage with sign, tone and icon: `▼ −2.35 %`. */
export function signedPercent(value: number | null | undefined, digits = 2): Signed {
  if (!finite(value)) return { text: MISSING, tone: 'none', icon: '' };
  value = roundTo(value, digits);
  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  return {
    text: `${sign}${formatNumber(Math.abs(value), digits)} %`,
    tone: toneOf(value),
    icon: iconOf(value),
  };
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  return finite(value) ? `${formatNumber(value, digits)} %` : MISSING;
}

function roundTo(value: number, digits: number): number {
  const rounded = Number(value.toFixed(digits));
  return rounded === 0 ? 0 : rounded; // no −0
}

function toneOf(value: number): Signed['tone'] {
  return value > 0 ? 'up' : value < 0 ? 'down' : 'flat';
}

function iconOf(value: number): string {
  return value > 0 ? '▲' : value < 0 ? '▼' : '';
}

/**
 * Decimal places for a symbol's prices: what its quotes show (1.08421 → 5), and at least what
 * its magnitude suggests, so a quote that happens to end in 0 does not lose a digit.
 */
export function pricePrecision(...prices: Array<number | null | undefined>): number {
  let digits = 0;
  let magnitude = 0;
  for (const p of prices) {
    if (!finite(p)) continue;
    const text = String(p);
    const dot = text.indexOf('.');
    if (dot >= 0 && !text.includes('e')) digits = Math.max(digits, text.length - dot - 1);
    magnitude = Math.max(magnitude, Math.abs(p));
  }
  const byMagnitude = magnitude === 0 ? 2 : magnitude < 10 ? 4 : magnitude < 1000 ? 3 : 2;
  return Math.min(8, Math.max(digits, byMagnitude));
}

export function formatPrice(value: number | null | undefined, digits: number): string {
  return finite(value) ? numberFormat(digits, true).format(value) : MISSING;
}

const QUANTITY_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });

/** Signed quantity without trailing zeros: `+100,000`, `−0.5`. */
export function formatQuantity(value: number | null | undefined): string {
  if (!finite(value)) return MISSING;
  const text = QUANTITY_FORMAT.format(Math.abs(value));
  return value < 0 ? `−${text}` : text;
}

/** A time for `<time>`: ISO for the machine, local clock time and relative age for people. */
export interface TimeView {
  iso: string;
  local: string;
  relative: string;
}

export function timeView(
  ms: number | null | undefined,
  nowMs: number,
  timeZone: string,
  hour12 = false,
): TimeView | null {
  if (!finite(ms)) return null;
  return {
    iso: new Date(ms).toISOString(),
    local: clockTime(ms, timeZone, hour12),
    relative: relativeAge(nowMs - ms),
  };
}

/** `just now`, `12 s ago`, `3 min ago`, `2 h ago`, `3 d ago`. */
export function relativeAge(ms: number): string {
  if (!finite(ms) || ms < 1500) return 'just now';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

export function formatBytesForView(bytes: number | null | undefined): string {
  if (!finite(bytes)) return MISSING;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A length of time for a position's age: `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`. */
export function formatDuration(ms: number | null | undefined): string {
  if (!finite(ms) || ms < 0) return MISSING;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** A large amount in few characters, for exposure: `108.4 k`, `14.21 M`. */
export function formatCompact(value: number | null | undefined): string {
  return finite(value) ? COMPACT_FORMAT.format(value) : MISSING;
}
const COMPACT_FORMAT = new Intl.NumberFormat('en-US', {
  notation: 'compact',
  maximumFractionDigits: 2,
});
