/*
 * Supported retailers: small declarative adapters. Each names the hosts it covers, the
 * manifest match patterns, and CSS selectors for the ingredient panel (tried in order) and for
 * the controls that open a collapsed panel. A site whose selectors find nothing falls back to
 * the generic rules in content/finder.js, so a redesign degrades to "generic", not to "broken".
 *
 * Side-effect-only file (classic script and module): globalThis.INCILENS.sites.
 */
(function (root) {
  "use strict";
  const ns = (root.INCILENS = root.INCILENS || {});
  if (ns.sites) return;

  const ADAPTERS = Object.freeze([
    {
      id: "sephora",
      name: "Sephora",
      hosts: ["sephora.com", "sephora.fr", "sephora.de", "sephora.it", "sephora.es"],
      panels: ["#ingredients", "[data-at='ingredients']", "[data-comp~='Ingredients'] > div"],
      openers: ["button[aria-controls='ingredients']", "[data-at='ingredients_tab']"],
    },
    {
      id: "ulta",
      name: "Ulta Beauty",
      hosts: ["ulta.com"],
      panels: [".ProductDetail__ingredients", "#Ingredients .Accordion_Content"],
      openers: ["#Ingredients button[aria-expanded]", "button[aria-controls='Ingredients-panel']"],
    },
    {
      id: "amazon",
      name: "Amazon",
      hosts: ["amazon.com", "amazon.co.uk", "amazon.de", "amazon.fr", "amazon.es", "amazon.it",
        "amazon.nl", "amazon.ca"],
      // The "Important information" bucket holds safety, ingredients and directions; the
      // service finds the list inside it (and the generic label rule often finds a tighter one).
      panels: ["#important-information"],
      openers: [],
    },
    {
      id: "boots",
      name: "Boots",
      hosts: ["boots.com"],
      panels: ["#product_ingredients .product-info-block__content",
        "[id^='product_ingredients'] .productInfoContent", "#product_ingredients"],
      openers: ["#product_ingredients button[aria-expanded]"],
    },
    {
      id: "target",
      name: "Target",
      hosts: ["target.com"],
      panels: ["[data-test='productDetailTabs-labelInfo'] [data-test='item-details-ingredients']",
        "[data-test='item-details-ingredients']"],
      openers: ["[data-test='labelInfoTab'] button", "button[aria-controls*='label-info']"],
    },
    {
      id: "iherb",
      name: "iHerb",
      hosts: ["iherb.com"],
      panels: [".prodOverviewIngred .prodOverviewIngredContent", ".prodOverviewIngred"],
      openers: [],
    },
    {
      id: "yesstyle",
      name: "YesStyle",
      hosts: ["yesstyle.com"],
      panels: ["[data-section='ingredients'] .productDetailPage_content",
        "[data-section='ingredients']"],
      openers: ["[data-section='ingredients'] button"],
    },
    {
      id: "douglas",
      name: "Douglas",
      hosts: ["douglas.de", "douglas.at", "douglas.nl", "douglas.it", "douglas.es", "douglas.pl",
        "douglas.ch"],
      panels: [".product-detail__ingredients .ingredients-text", ".product-detail__ingredients"],
      openers: ["button[data-testid='ingredients-toggle']"],
    },
    {
      id: "lookfantastic",
      name: "LOOKFANTASTIC",
      hosts: ["lookfantastic.com", "lookfantastic.fr", "lookfantastic.de", "lookfantastic.es",
        "lookfantastic.it", "lookfantastic.nl"],
      panels: ["[data-tab-content='ingredients'] .productDescription_contentWrapper",
        "[data-tab-content='ingredients']"],
      openers: ["[role='tab'][data-tab='ingredients']"],
    },
  ].map(Object.freeze));

  /** The adapter whose host list covers `hostname` (the host itself or a subdomain), or null. */
  function adapterFor(hostname) {
    const host = String(hostname || "").toLowerCase().replace(/\.$/, "");
    for (const adapter of ADAPTERS) {
      for (const h of adapter.hosts) {
        if (host === h || host.endsWith("." + h)) return adapter;
      }
    }
    return null;
  }

  /** Manifest match patterns for every supported retailer (https, any subdomain). */
  function matchPatterns() {
    const out = [];
    for (const adapter of ADAPTERS) {
      for (const h of adapter.hosts) out.push(`https://${h}/*`, `https://*.${h}/*`);
    }
    return out;
  }

  ns.sites = Object.freeze({ ADAPTERS, adapterFor, matchPatterns });
})(globalThis);
