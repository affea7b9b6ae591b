import { describe, expect, it } from 'vitest';
import { type PnlInput, positionPnl } from '../../src/contract/index.js';

const base: PnlInput = {
  size: 10_000,
  price: 147.2,
  entryPrice: 147.0,
  enginePnl: null,
  quoteCurrency: null,
  contractSize: null,
  quoteToAccountRate: null,
  accountCurrency: 'USD',
};

describe('positionPnl', () => {
  it("takes the engine's unrealized_pnl as account currency over anything computed", () => {
    expect(positionPnl({ ...base, enginePnl: 13.59, quoteCurrency: 'JPY' })).toEqual({
      amount: 13.59,
      currency: 'USD',
      inAccountCurrency: true,
      source: 'engine',
    });
  });

  it('keeps a JPY-quoted P&L in JPY and out of a USD account when no rate is given', () => {
    const pnl = positionPnl({ ...base, quoteCurrency: 'JPY' });
    expect(pnl).toMatchObject({ currency: 'JPY', inAccountCurrency: false, source: 'computed' });
    expect(pnl?.amount).toBeCloseTo(2000, 6);
  });

  it('converts with quote_to_account_rate into the account currency', () => {
    const pnl = positionPnl({ ...base, quoteCurrency: 'JPY', quoteToAccountRate: 1 / 147.2 });
    expect(pnl).toMatchObject({ currency: 'USD', inAccountCurrency: true, source: 'converted' });
    expect(pnl?.amount).toBeCloseTo(13.587, 3);
  });

  it('counts a quote currency equal to the account currency, in any case, as account currency', () => {
    expect(positionPnl({ ...base, quoteCurrency: 'usd' })).toMatchObject({
      currency: 'USD',
      inAccountCurrency: true,
    });
  });

  it('multiplies by contract_size, and ignores a zero or negative one', () => {
    const input = { ...base, size: -2, price: 5010, entryPrice: 5000 };
    expect(positionPnl({ ...input, contractSize: 50 })?.amount).toBeCloseTo(-1000, 6);
    expect(positionPnl({ ...input, contractSize: 0 })?.amount).toBeCloseTo(-20, 6);
    expect(positionPnl({ ...input, contractSize: -3 })?.amount).toBeCloseTo(-20, 6);
  });

  it('ignores a zero, negative or non-finite rate instead of zeroing the P&L', () => {
    for (const rate of [0, -1, Number.NaN])
      expect(
        positionPnl({ ...base, quoteCurrency: 'JPY', quoteToAccountRate: rate }),
      ).toMatchObject({
        currency: 'JPY',
        inAccountCurrency: false,
      });
  });

  it('has no P&L when flat or when price or entry is missing', () => {
    expect(positionPnl({ ...base, size: 0, enginePnl: 5 })).toBeNull();
    expect(positionPnl({ ...base, price: null })).toBeNull();
    expect(positionPnl({ ...base, entryPrice: Number.POSITIVE_INFINITY })).toBeNull();
  });

  it('with no quote_currency treats prices as account currency (the v1 convention)', () => {
    expect(positionPnl({ ...base, accountCurrency: null })).toMatchObject({
      currency: null,
      inAccountCurrency: true,
    });
  });
});
