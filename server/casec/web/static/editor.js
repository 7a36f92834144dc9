// The query editor on /query: YASGUI on this server's endpoint, with casec's prefixes folded out of view, the
// example questions, results as people read them (names for IRIs, years and dates as written, long text
// wrapped, casec's IRIs linked to this server's pages) and parse errors as one sentence with a caret.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("casec-config").textContent);
  if (typeof Yasgui === "undefined") { return; }
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];
  var labels = {};      // IRI -> label, from /labels
  var asked = {};       // IRIs already asked for

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Where a casec IRI is served on this host; null for one under casec's namespace that has no page here.
  function localHref(iri) {
    for (var i = 0; i < config.local.length; i++) {
      var base = config.local[i][0];
      if (iri.slice(0, base.length) === base) { return config.local[i][1] + iri.slice(base.length); }
    }
    return iri.slice(0, config.namespace.length) === config.namespace ? null : iri;
  }

  function shortForm(iri, prefixes) {
    var best = null;
    Object.keys(prefixes || {}).forEach(function (name) {
      var ns = prefixes[name];
      if (ns && iri.slice(0, ns.length) === ns && (!best || ns.length > best.ns.length)) { best = { name: name, ns: ns }; }
    });
    return best ? best.name + ":" + iri.slice(best.ns.length) : iri;
  }

  function iriHtml(iri, prefixes) {
    var text = labels[iri] || shortForm(iri, prefixes);
    var href = localHref(iri);
    var title = escapeHtml(iri);
    var kind = labels[iri] ? "iri" : "iri raw";  // an identifier may break anywhere; a name between words
    if (href === null) { return "<span class='" + kind + "' title='" + title + "'>" + escapeHtml(text) + "</span>"; }
    var external = href === iri;
    return "<a class='" + kind + "' href='" + escapeHtml(href) + "' title='" + title + "'" +
      (external ? " target='_blank' rel='noopener noreferrer'" : "") + ">" + escapeHtml(text) + "</a>";
  }

  // A literal as people read it: 1994 for a year, 28 June 2012 for a date, June 2001 for a month.
  function readable(value, datatype) {
    var m;
    switch (datatype) {
      case XSD + "gYear":
        return value.replace(/^(-?)0*(\d)/, "$1$2");
      case XSD + "gYearMonth":
        m = /^(\d{4})-(\d\d)/.exec(value);
        return m ? MONTHS[+m[2] - 1] + " " + m[1] : value;
      case XSD + "date":
        m = /^(\d{4})-(\d\d)-(\d\d)/.exec(value);
        return m ? +m[3] + " " + MONTHS[+m[2] - 1] + " " + m[1] : value;
      case XSD + "dateTime":
        m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d)/.exec(value);
        return m ? +m[3] + " " + MONTHS[+m[2] - 1] + " " + m[1] + ", " + m[4] : value;
      default:
        return value;
    }
  }

  function literalHtml(binding, prefixes) {
    var language = binding["xml:lang"];
    var datatype = binding.datatype || (language ? RDF_LANG : XSD + "string");
    var text = escapeHtml(readable(binding.value, datatype));
    var title = language ? "language: " + language : shortForm(datatype, prefixes);
    var html = "<span class='literal' title='" + escapeHtml(title) + "'>" + text + "</span>";
    if (language) { html += " <span class='lang'>" + escapeHtml(language) + "</span>"; }
    return html;
  }

  function cellHtml(binding, prefixes) {
    if (binding.type === "uri") { return iriHtml(binding.value, prefixes); }
    if (binding.type === "bnode") { return "<span class='bnode'>_:" + escapeHtml(binding.value) + "</span>"; }
    return literalHtml(binding, prefixes);
  }

  // Ask /labels, in one request, for the IRIs of a result that have no label yet.
  function fetchLabels(results) {
    var bindings = (results && results.getBindings && results.getBindings()) || [];
    var wanted = [];
    for (var i = 0; i < bindings.length && wanted.length < 5000; i++) {
      for (var name in bindings[i]) {
        var b = bindings[i][name];
        if (b && b.type === "uri" && !asked[b.value]) { asked[b.value] = true; wanted.push(b.value); }
      }
    }
    if (!wanted.length) { return Promise.resolve(); }
    var body = new URLSearchParams();
    wanted.forEach(function (iri) { body.append("iri", iri); });
    return fetch(config.labels, { method: "POST", body: body })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (found) { Object.keys(found).forEach(function (iri) { labels[iri] = found[iri]; }); })
      .catch(function () { /* names are a nicety: the IRIs still show */ });
  }

  var Table = Yasgui.Yasr.plugins.table;
  class CasecTable extends Table {
    getCellContent(binding, prefixes) { return "<div>" + cellHtml(binding, prefixes) + "</div>"; }
    getColumns() {
      // each cell names its column, so that a narrow screen can show a row as a card of "name: value" lines
      return super.getColumns().map(function (column) {
        var name = column.name;
        column.createdCell = function (td) {
          if (name) { td.setAttribute("data-label", name); } else { td.className += " row-number"; }
        };
        return column;
      });
    }
    draw(persistentConfig) {
      var settings = Object.assign({ isEllipsed: false }, persistentConfig);
      var self = this;
      return fetchLabels(this.yasr.results).then(function () { return Table.prototype.draw.call(self, settings); });
    }
  }
  Yasgui.Yasr.registerPlugin("table", CasecTable);

  // A server error as one sentence; a parse error also shows its line with a caret under the column.
  function errorElement(error) {
    var text = (error && (error.text || error.message || error.statusText)) || "";
    text = String(text).trim();
    if (!text) { return undefined; }
    var status = /^(\d{3}) /.exec(text);
    var sentence = status ? text.slice(4) : text;
    sentence = sentence.charAt(0).toUpperCase() + sentence.slice(1);
    if (!/[.!?]$/.test(sentence)) { sentence += "."; }
    var box = document.createElement("div");
    box.className = "casec-error";
    var p = document.createElement("p");
    p.textContent = sentence;
    box.appendChild(p);
    var at = /line (\d+), column (\d+)/.exec(text) || /\bat (\d+):(\d+)/.exec(text);
    var tab = yasgui.getTab();
    if (at && tab) {
      var lines = tab.getQuery().split("\n");
      var line = +at[1], column = +at[2];
      if (line >= 1 && line <= lines.length) {
        var number = String(line) + " | ";
        var pre = document.createElement("pre");
        pre.className = "caret";
        pre.textContent = number + lines[line - 1] + "\n" + " ".repeat(number.length + Math.max(0, column - 1)) + "^";
        box.appendChild(pre);
      }
    }
    return box;
  }
  Yasgui.Yasr.defaults.errorRenderers = [function (error) { return Promise.resolve(errorElement(error)); }]
    .concat(Yasgui.Yasr.defaults.errorRenderers || []);

  Yasgui.Yasqe.defaults.value = config.defaultQuery;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    autofocus: false,          // focusing the editor would scroll the page to it
    showEndpointInput: false,  // this editor asks this server
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { value: config.defaultQuery, collapsePrefixesOnLoad: true, resizeable: true, editorHeight: "320px" },
    yasr: { prefixes: {} }
  });

  function open(title, query, run) {
    var tab = yasgui.getTab();
    tab.setQuery(query);
    if (title) { tab.setName(title.length > 60 ? title.slice(0, 57) + "…" : title); }
    tab.getYasqe().collapsePrefixes(true);
    if (run) { tab.query().catch(function () { /* YASR shows the error */ }); }
  }

  var tab = yasgui.getTab();
  if (tab && tab.getYasqe()) { tab.getYasqe().collapsePrefixes(true); }
  if (config.start && config.start.query) { open(config.start.title, config.start.query, config.start.run); }

  document.querySelectorAll("a.example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var example = config.examples[link.dataset.name];
      open(example.title, example.query, true);
      document.getElementById("example").value = link.dataset.name;
      document.getElementById("yasgui").scrollIntoView({ behavior: "smooth" });  // the user asked to go there
    });
  });
  document.getElementById("example").addEventListener("change", function (event) {
    var example = config.examples[event.target.value];
    if (example) { open(example.title, example.query, true); }
  });
  window.casecYasgui = yasgui;
})();
