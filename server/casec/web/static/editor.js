// The query editor: YASGUI pointed at this server's endpoint, with casec's prefixes and example queries.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("casec-config").textContent);
  if (typeof Yasgui === "undefined") { return; }
  Yasgui.Yasqe.defaults.value = config.defaultQuery;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { value: config.defaultQuery }
  });
  document.querySelectorAll("a.example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var tab = yasgui.getTab();
      tab.setQuery(config.examples[link.dataset.name]);
      tab.query();
    });
  });
  window.casecYasgui = yasgui;
})();
