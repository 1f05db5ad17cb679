/* The product form shows only the attribute groups of the chosen category (its parent's and its own, defined by admins
   as data): the category select carries category id -> [slugs of the groups' categories] in data-attribute-groups
   (catalog/forms.py). Without JavaScript the server shows the groups of the category the page was sent with, or every
   group while none is chosen. The highest price shows
   only for a price range (always without JavaScript). */
(function () {
  "use strict";

  function update(select) {
    var groups = JSON.parse(select.getAttribute("data-attribute-groups") || "{}");
    var chosen = groups[select.value] || [];
    Array.prototype.forEach.call(document.querySelectorAll("[data-attribute-group]"), function (group) {
      // a group showing an error stays visible, whatever the choice
      group.hidden = chosen.indexOf(group.getAttribute("data-attribute-group")) < 0 && !group.querySelector(".field-error");
    });
  }

  function updatePriceRange() {
    var range = document.querySelector("[data-price-range]");
    var mode = document.querySelector("input[name=price_mode]:checked");
    if (range && mode) range.hidden = mode.value !== "range" && !range.querySelector(".field-error");
  }

  function start() {
    var select = document.querySelector("select[data-attribute-groups]");
    if (select) update(select);
    updatePriceRange();
  }

  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLSelectElement && event.target.hasAttribute("data-attribute-groups")) update(event.target);
    if (event.target instanceof HTMLInputElement && event.target.name === "price_mode") updatePriceRange();
  });
  document.addEventListener("etalase:page", start); // the page that uploads.js put in place after a send
  start();
})();
