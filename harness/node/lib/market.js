// lib/market.js: pick order prices and quantities that satisfy a symbol's
// exchangeInfo filters (PRICE_FILTER, LOT_SIZE, MARKET_LOT_SIZE, NOTIONAL /
// MIN_NOTIONAL, PERCENT_PRICE_BY_SIDE), so the flows place valid orders on
// whatever book the mock's simulator built. Decimal strings in and out.
'use strict';

const decimals = (step) => { const s = String(step); const i = s.indexOf('.'); return i < 0 ? 0 : s.slice(i + 1).replace(/0+$/, '').length; };
const filterOf = (sym, type) => (sym.filters || []).find((f) => f.filterType === type) || {};

// marketFloor / marketCeil: v rounded down / up to a multiple of step, as a string.
function marketFloor(v, step) {
  const st = Number(step); const d = decimals(step);
  if (!(st > 0)) return v.toFixed(8);
  return (Math.floor(v / st + 1e-9) * st).toFixed(d);
}
function marketCeil(v, step) {
  const st = Number(step); const d = decimals(step);
  if (!(st > 0)) return v.toFixed(8);
  return (Math.ceil(v / st - 1e-9) * st).toFixed(d);
}

// marketPlan(symbolInfo, {bid, ask, avg}) -> {restPrice, qty}: a BUY LIMIT
// price well below the best bid (it rests) and a quantity worth a few times
// the minimum notional at the best ask (a MARKET BUY of it fills).
function marketPlan(sym, { bid, ask, avg }) {
  const pf = filterOf(sym, 'PRICE_FILTER'); const lot = filterOf(sym, 'LOT_SIZE');
  const mlot = filterOf(sym, 'MARKET_LOT_SIZE');
  const nf = filterOf(sym, 'NOTIONAL').minNotional ? filterOf(sym, 'NOTIONAL') : filterOf(sym, 'MIN_NOTIONAL');
  const pp = filterOf(sym, 'PERCENT_PRICE_BY_SIDE');
  const ref = avg || bid || ask;
  let p = (bid || ref) * 0.9;
  if (pp.bidMultiplierDown) p = Math.max(p, ref * Number(pp.bidMultiplierDown) * 1.05);
  const restPrice = marketFloor(p, pf.tickSize || '0.01');
  const minNotional = Number(nf.minNotional || 10);
  const step = (mlot.stepSize && Number(mlot.stepSize) > Number(lot.stepSize || 0)) ? mlot.stepSize : (lot.stepSize || '0.00001');
  let q = Math.max(Number(lot.minQty || 0), Number(mlot.minQty || 0), (minNotional * 3) / Number(restPrice));
  const qty = marketCeil(q, step);
  return { restPrice, qty };
}

module.exports = { marketPlan, marketFloor, marketCeil, decimals };
