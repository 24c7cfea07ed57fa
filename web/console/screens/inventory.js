// The inventory screen: stock per SKU with the live low-stock alerts (`#/inventory`), one
// SKU's figures, stock forms and movement ledger (`#/inventory/sku/<SKU>`), slow movers
// (`#/inventory/slow`) and stocktakes (`#/inventory/stocktakes[/<id>]`).

import "./inventory/messages.js";
import { showSku } from "./inventory/sku.js";
import { showSlowMovers } from "./inventory/slow.js";
import { showStock } from "./inventory/stock.js";
import { showStocktake, showStocktakes } from "./inventory/stocktakes.js";

export async function show(view, ctx) {
  const [section, id] = ctx.segments;
  if (section === "sku" && id) return showSku(view, ctx, id);
  if (section === "slow") return showSlowMovers(view, ctx);
  if (section === "stocktakes" && id) return showStocktake(view, ctx, id);
  if (section === "stocktakes") return showStocktakes(view, ctx);
  return showStock(view, ctx);
}
