// Bela beli purchase form: the chosen seller's products appear as soon as the seller is chosen. Without this script
// the "show this seller's products" button posts the form back with what was typed and the products listed.
(function () {
  "use strict";
  var seller = document.getElementById("business");
  var box = document.getElementById("seller-products");
  if (!seller || !box || !window.fetch) { return; }
  var step = document.querySelector("button[name='choose']");
  if (step) { step.parentNode.hidden = true; }

  function show(products) {
    box.textContent = "";
    if (!products.length) { return; }
    var field = document.createElement("div");
    field.className = "field";
    var label = document.createElement("label");
    label.htmlFor = "products";
    label.textContent = box.dataset.label;
    var select = document.createElement("select");
    select.id = "products";
    select.name = "products";
    select.multiple = true;
    products.forEach(function (product) {
      var option = document.createElement("option");
      option.value = String(product.id);
      option.textContent = product.name;
      select.appendChild(option);
    });
    field.appendChild(label);
    field.appendChild(select);
    box.appendChild(field);
  }

  seller.addEventListener("change", function () {
    if (!/^\d+$/.test(seller.value)) { show([]); return; }
    var url = box.dataset.url.replace(/\/0\/products$/, "/" + seller.value + "/products");
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {products: []}; })
      .then(function (data) { show(data.products || []); })
      .catch(function () { if (step) { step.parentNode.hidden = false; } });
  });
}());
