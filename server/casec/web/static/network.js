/* The /network page: Cytoscape.js draws the network the server sends (/graph.json), the controls filter it,
   a click opens the facts (with their quotes) behind a node or a line. No network access beyond this server. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("casec-network-config").textContent);
  const RELATION_COLOURS = {
    "membership": "#3566a8", "body-of": "#2e8b57", "co-party": "#8e5c9e", "co-participation": "#c99a10",
    "borders": "#7a7a7a", "predecessor-of": "#222222", "cooperates-with": "#1f9c8f", "rival-of": "#d1372a",
    "military-presence": "#5b3f8c", "leads": "#9c6644", "participation": "#e07a5f",
  };
  const TYPE_STYLE = {
    state: { shape: "ellipse", colour: "#4a7fc1" },
    organization: { shape: "round-rectangle", colour: "#c8642a" },
    group: { shape: "diamond", colour: "#777777" },
    body: { shape: "hexagon", colour: "#3a9a64" },
    person: { shape: "ellipse", colour: "#8a62b3" },
    event: { shape: "star", colour: "#c0392b" },
  };
  const $ = (id) => document.getElementById(id);
  const state = {
    year: config.year,
    relations: new Set(config.selected),
    organizations: config.organizations,
    sources: config.sources,
  };
  const LABEL_PX = 12; // labels keep this size on screen at any zoom (so a small view is never unlabelled)
  let sequence = 0;
  let current = null; // the last view the server sent
  let firstView = true;

  const style = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": () => screenSize(LABEL_PX), "text-valign": "bottom", "text-halign": "center",
      "text-margin-y": 2, "text-wrap": "wrap", "text-max-width": () => screenSize(120), "color": "#1d2430",
      "text-outline-color": "#fff",
      "text-outline-width": 2, "width": "mapData(deg, 0, 25, 18, 64)", "height": "mapData(deg, 0, 25, 18, 64)",
      "border-width": 1, "border-color": "#fff" } },
    ...Object.entries(TYPE_STYLE).map(([type, s]) => ({
      selector: `node[type = "${type}"]`, style: { "shape": s.shape, "background-color": s.colour } })),
    { selector: 'node[type = "organization"]', style: { "font-weight": "bold", "font-size": () => screenSize(LABEL_PX + 2) } },
    { selector: 'node[type = "person"], node[type = "event"], node[type = "group"]',
      style: { "font-size": () => screenSize(LABEL_PX - 1) } },
    { selector: "edge", style: {
      "width": "mapData(weight, 1, 12, 1, 4)", "curve-style": "bezier", "opacity": 0.75,
      "line-color": "#999", "target-arrow-color": "#999", "arrow-scale": 0.7 } },
    ...Object.entries(RELATION_COLOURS).map(([name, colour]) => ({
      selector: `edge[relation = "${name}"]`, style: { "line-color": colour, "target-arrow-color": colour } })),
    { selector: "edge[?directed]", style: { "target-arrow-shape": "triangle" } },
    { selector: 'edge[role = "observer"], edge[role = "dialogue partner"], edge[role = "partner"]',
      style: { "line-style": "dashed" } },
    { selector: 'edge[role = "suspended member"], edge[role = "applicant"]', style: { "line-style": "dotted" } },
    { selector: 'edge[relation = "rival-of"]', style: { "line-style": "dashed" } },
    { selector: ".hidden", style: { "display": "none" } },
    { selector: ".faded", style: { "opacity": 0.15 } },
    { selector: "node:selected", style: { "border-width": 3, "border-color": "#111" } },
    { selector: "edge:selected", style: {
      "width": 4, "opacity": 1, "label": "data(label)", "font-size": 8, "text-rotation": "autorotate",
      "text-background-color": "#fff", "text-background-opacity": 0.9 } },
  ];

  // a size in model units that shows as ``px`` on screen when zoomed out (zoomed in, labels grow with the drawing)
  function screenSize(px) { return typeof cy === "undefined" ? px : px / Math.min(1, cy.zoom()); }

  const cy = cytoscape({
    container: $("cy"), style, elements: [], minZoom: 0.1, maxZoom: 4, wheelSensitivity: 0.3,
    boxSelectionEnabled: false,
  });
  const api = { cy, state, ready: false, visible: () => ({ nodes: visible().nodes().length, edges: visible().edges().length }) };
  window.casecNetwork = api;

  function edgeId(link) { return `${link.source}|${link.target}|${link.key}`; }
  function visible() { return cy.elements().not(".hidden"); }

  function params(view) {
    const p = new URLSearchParams();
    if (view && state.year != null) p.set("year", state.year);
    p.set("relations", view ? [...state.relations].sort().join(",") : "all");
    if (view && state.organizations.length) p.set("organization", [...state.organizations].sort().join(","));
    for (const s of state.sources) p.append("source", s);
    return p;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  function elementsOf(graph) {
    const nodes = graph.nodes.map((n) => ({ group: "nodes", data: { ...n, deg: 0 } }));
    const edges = graph.links.map((l) => ({ group: "edges", data: { ...l, id: edgeId(l) } }));
    return nodes.concat(edges);
  }

  // Every node once (for "find" and stable identities), hidden; each view is laid out on its own, starting
  // from where its nodes were, so a small view fills the drawing and keeps readable labels.
  async function loadAll() {
    const graph = await getJSON(`${config.endpoints.graph}?${params(false)}`);
    cy.add(elementsOf(graph));
    cy.elements().addClass("hidden");
    const rings = ["organization", "state", "body", "group", "event", "person"];
    // Deterministic start: a circle per node type, organizations in the middle.
    cy.nodes().forEach((node, index) => {
      const ring = 60 + 140 * Math.max(0, rings.indexOf(node.data("type")));
      const angle = (index * 2.399963) % (2 * Math.PI);
      node.position({ x: ring * Math.cos(angle), y: ring * Math.sin(angle) });
    });
    const names = $("entity-names");
    const sorted = cy.nodes().map((n) => n.data()).sort((a, b) => a.label.localeCompare(b.label));
    names.replaceChildren(...sorted.map((d) => {
      const option = document.createElement("option");
      option.value = d.label;
      option.label = d.type;
      return option;
    }));
  }

  function runLayout(eles, animate) {
    return new Promise((resolve) => {
      const layout = eles.layout({
        name: "cose", randomize: false, animate, animationDuration: 400, fit: true, padding: 30,
        nodeRepulsion: () => 400000, idealEdgeLength: () => 110, edgeElasticity: () => 100, gravity: 0.5,
        nodeOverlap: 30, componentSpacing: 80, numIter: 1200, nodeDimensionsIncludeLabels: true,
      });
      layout.one("layoutstop", () => { refreshLabels(); resolve(); });
      layout.run();
    });
  }

  let labelFrame = 0;
  function refreshLabels() {
    cancelAnimationFrame(labelFrame);
    labelFrame = requestAnimationFrame(() => cy.style().update());
  }
  cy.on("zoom", refreshLabels);

  async function showView() {
    const mine = ++sequence;
    const query = params(true);
    setStatus("loading…");
    let graph;
    try {
      graph = await getJSON(`${config.endpoints.graph}?${query}`);
    } catch (error) {
      setStatus(`could not load the network: ${error.message}`);
      return;
    }
    if (mine !== sequence) return; // a newer request is on its way
    current = graph;
    const wasShown = new Set(visible().nodes().map((n) => n.id()));
    cy.batch(() => {
      cy.elements().addClass("hidden");
      for (const node of graph.nodes) {
        let element = cy.getElementById(node.id);
        if (element.empty()) element = cy.add({ group: "nodes", data: { ...node, deg: 0 } });
        element.removeClass("hidden");
      }
      for (const link of graph.links) {
        const id = edgeId(link);
        let element = cy.getElementById(id);
        if (element.empty()) element = cy.add({ group: "edges", data: { ...link, id } });
        else element.data({ ...link, id });
        element.removeClass("hidden");
      }
      visible().nodes().forEach((n) => n.data("deg", n.connectedEdges().not(".hidden").length));
      // a node coming into view starts beside its neighbours already in view
      visible().nodes().filter((n) => !wasShown.has(n.id())).forEach((n) => {
        const near = n.neighborhood().nodes().not(".hidden").filter((m) => wasShown.has(m.id()));
        if (near.length) {
          const box = near.boundingBox();
          n.position({ x: (box.x1 + box.x2) / 2 + 20 * Math.random(), y: (box.y1 + box.y2) / 2 + 20 * Math.random() });
        }
      });
    });
    await runLayout(visible(), wasShown.size > 0 && !firstView);
    firstView = false;
    if (mine !== sequence) return;
    const counts = $("network-count");
    const year = state.year == null ? "all years" : state.year;
    counts.textContent = `${graph.nodes.length} nodes, ${graph.links.length} links (${year})`;
    counts.dataset.nodes = graph.nodes.length;
    counts.dataset.edges = graph.links.length;
    counts.dataset.year = state.year == null ? "all" : String(state.year);
    counts.dataset.relations = [...state.relations].sort().join(",");
    counts.dataset.organizations = [...state.organizations].sort().join(",");
    updateLinks(query);
    history.replaceState(null, "", `${location.pathname}?${query}`);
    api.ready = true;
    document.body.dataset.networkReady = "true";
  }

  function setStatus(text) { $("network-count").textContent = text; }

  function updateLinks(query) {
    for (const a of document.querySelectorAll(".downloads a[data-format]")) {
      const format = a.dataset.format;
      a.href = format === "metrics" ? `/graph/metrics.csv?${query}` : `/graph.${format}?${query}`;
    }
  }

  // ---- the side panel -------------------------------------------------------------------------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === "class") node.className = value; else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  function years(a, b) {
    if (a == null && b == null) return "no year";
    return a === b ? String(a) : `${a}–${b}`;
  }

  function statementList(ids, statements) {
    const list = el("ul", { class: "statements" });
    for (const id of ids) {
      const s = statements[id];
      if (!s) continue;
      const quotes = s.quotes.map((q) => el("blockquote", {}, `“${q.quote}”`, el("span", { class: "muted" }, ` line ${q.line}`)));
      const modality = s.modality === "stated as fact" ? "" : ` · ${s.modality}`;
      list.append(el("li", {},
        el("a", { href: localUrl(id) }, id.split("/").pop()),
        el("span", { class: "muted" }, ` · ${s.source_label} · ${years(s.from_year, s.to_year)}${modality}`),
        ...quotes));
    }
    return list;
  }

  function localUrl(iri) { return iri.startsWith(config.idBase) ? `/id/${iri.slice(config.idBase.length)}` : iri; }

  function linkLine(link, center, nodes) {
    const otherId = link.source === center ? link.target : link.source;
    const other = nodes.get(otherId) || { label: otherId };
    const arrow = !link.directed ? "—" : link.source === center ? "→" : "←";
    const via = link.via_labels && link.via_labels.length ? ` via ${link.via_labels.join(", ")}` : "";
    return el("span", {}, `${link.label} ${arrow} `, el("strong", {}, other.label), `${via} (${years(link.from_year, link.to_year)})`);
  }

  async function egoOf(iri) {
    const path = iri.slice(config.idBase.length);
    return getJSON(`${config.endpoints.ego}${path}?radius=1&${params(true)}`);
  }

  async function openNode(node) {
    const data = node.data();
    const body = $("panel-body");
    showPanel(el("p", { class: "muted" }, "loading…"));
    let ego;
    try { ego = await egoOf(data.id); } catch (error) { showPanel(el("p", {}, error.message)); return; }
    const nodes = new Map(ego.nodes.map((n) => [n.id, n]));
    const links = ego.links.filter((l) => l.source === data.id || l.target === data.id);
    const byRelation = new Map();
    for (const link of links) {
      if (!byRelation.has(link.relation)) byRelation.set(link.relation, []);
      byRelation.get(link.relation).push(link);
    }
    const sections = [];
    const order = config.relations.map((r) => r.name);
    const ordered = [...byRelation.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
    for (const [relation, group] of ordered) {
      const items = group.map((link) => el("li", {}, el("details", {}, el("summary", {}, linkLine(link, data.id, nodes)),
        statementList(link.statements, ego.statements))));
      sections.push(el("h3", {}, `${relationLabel(relation)} (${group.length})`), el("ul", { class: "links" }, ...items));
    }
    body.replaceChildren(
      el("h2", { id: "panel-title" }, data.label),
      el("p", { class: "muted" }, `${data.class} · ${links.length} links in this view`),
      el("p", {}, el("a", { href: data.url, id: "panel-page" }, "Open its page"), " · ",
        el("a", { href: `${config.endpoints.ego}${data.id.slice(config.idBase.length)}?format=gexf&radius=2&${params(true)}` }, "neighbourhood as GEXF")),
      ...(sections.length ? sections : [el("p", {}, "No links in this view.")]));
    $("panel").dataset.entity = data.id;
  }

  async function openEdge(edge) {
    const data = edge.data();
    showPanel(el("p", { class: "muted" }, "loading…"));
    let ego;
    try { ego = await egoOf(data.source); } catch (error) { showPanel(el("p", {}, error.message)); return; }
    const link = ego.links.find((l) => edgeId(l) === data.id) || data;
    const nodes = new Map(ego.nodes.map((n) => [n.id, n]));
    const source = nodes.get(link.source) || { label: link.source };
    $("panel-body").replaceChildren(
      el("h2", { id: "panel-title" }, `${source.label}: ${link.label}`),
      el("p", {}, linkLine(link, link.source, nodes)),
      el("h3", {}, `Statements (${link.statements.length})`),
      statementList(link.statements, ego.statements || {}));
    $("panel").dataset.entity = "";
  }

  function relationLabel(name) {
    const found = config.relations.find((r) => r.name === name);
    return found ? found.label : name;
  }

  function showPanel(content) {
    $("panel-body").replaceChildren(content);
    $("panel").hidden = false;
  }

  // ---- controls -----------------------------------------------------------------------------------

  let timer = null;
  function later(fn) { clearTimeout(timer); timer = setTimeout(fn, 120); }

  function showYear() {
    $("year-label").textContent = state.year == null ? "all years" : String(state.year);
    for (const el of document.querySelectorAll(".opening-year")) el.textContent = $("year-label").textContent;
  }

  function widened() { $("opening-note").hidden = true; }

  $("all-years").checked = config.year == null;
  showYear();
  $("all-years").addEventListener("change", () => {
    state.year = $("all-years").checked ? null : Number($("year").value);
    showYear(); widened(); showView();
  });
  // the slider always works: moving it leaves "all years" for the year it shows
  $("year").addEventListener("input", () => {
    $("all-years").checked = false;
    state.year = Number($("year").value);
    showYear(); later(showView);
  });
  $("organizations").addEventListener("change", () => {
    state.organizations = $("organizations").value.split(",").filter(Boolean);
    widened(); showView();
  });
  for (const box of document.querySelectorAll("#relations input[name=relation]")) {
    box.addEventListener("change", () => {
      if (box.checked) state.relations.add(box.value); else state.relations.delete(box.value);
      if (state.relations.size === 0) { box.checked = true; state.relations.add(box.value); return; }
      widened(); showView();
    });
  }
  for (const button of document.querySelectorAll("[data-widen]")) {
    button.addEventListener("click", () => {
      const what = button.dataset.widen;
      if (what === "years") { $("all-years").checked = true; state.year = null; showYear(); }
      if (what === "organizations") { $("organizations").value = ""; state.organizations = []; }
      if (what === "relations") {
        for (const box of document.querySelectorAll("#relations input[name=relation]")) {
          if (box.closest("label").dataset.default === "true") { box.checked = true; state.relations.add(box.value); }
        }
      }
      widened(); showView();
    });
  }
  $("find").addEventListener("change", () => find($("find").value));
  $("find").addEventListener("keydown", (event) => { if (event.key === "Enter") find($("find").value); });
  $("relayout").addEventListener("click", () => runLayout(visible(), true));
  $("export-png").addEventListener("click", () => {
    const a = document.createElement("a");
    a.href = cy.png({ full: true, scale: 2, bg: "#ffffff" });
    a.download = `casec-network-${state.year == null ? "all" : state.year}.png`;
    document.body.append(a);
    a.click();
    a.remove();
  });
  $("panel-close").addEventListener("click", () => { $("panel").hidden = true; cy.elements().unselect(); });
  cy.on("tap", "node", (event) => { focus(event.target, false); openNode(event.target); });
  cy.on("tap", "edge", (event) => openEdge(event.target));
  cy.on("tap", (event) => { if (event.target === cy) cy.elements().removeClass("faded"); });

  function focus(node, zoom) {
    cy.elements().unselect();
    node.select();
    const near = node.closedNeighborhood().not(".hidden");
    cy.elements().not(near).addClass("faded");
    near.removeClass("faded");
    if (zoom) cy.animate({ fit: { eles: near, padding: 60 } }, { duration: 300 });
  }

  function find(text) {
    const wanted = text.trim().toLowerCase();
    if (!wanted) return;
    const matches = cy.nodes().filter((n) => n.data("label").toLowerCase() === wanted || n.id().toLowerCase().endsWith(`/${wanted}`));
    const node = matches.length ? matches[0] : cy.nodes().filter((n) => n.data("label").toLowerCase().includes(wanted))[0];
    const message = $("find-message");
    if (!node) { message.textContent = `Nothing called “${text}” in the network.`; return; }
    if (node.hasClass("hidden")) { message.textContent = `${node.data("label")} has no link in this view.`; return; }
    message.textContent = "";
    focus(node, true);
    openNode(node);
  }

  // ---- legend: drawn from the same shapes and colours as the graph ------------------------------------

  const SHAPES = {
    "ellipse": '<circle cx="8" cy="8" r="7"/>',
    "round-rectangle": '<rect x="1" y="3" width="14" height="10" rx="3"/>',
    "hexagon": '<polygon points="4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8"/>',
    "diamond": '<polygon points="8,0.5 15.5,8 8,15.5 0.5,8"/>',
    "star": '<polygon points="8,0.5 10,6 15.5,6 11,9.5 12.8,15.2 8,11.8 3.2,15.2 5,9.5 0.5,6 6,6"/>',
  };
  $("node-legend").replaceChildren(...Object.entries(TYPE_STYLE).map(([type, s]) => {
    const item = el("li", { "data-type": type, "data-shape": s.shape });
    item.innerHTML = `<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" fill="${s.colour}">${SHAPES[s.shape]}</svg>`;
    item.append(` ${type === "group" ? "non-state group" : type}`);
    return item;
  }));
  for (const swatch of document.querySelectorAll(".swatch[data-relation]")) {
    swatch.style.background = RELATION_COLOURS[swatch.dataset.relation] || "#999";
  }
  for (const r of config.relations) {
    const box = document.querySelector(`#relations input[value="${r.name}"]`);
    if (box) box.closest("label").dataset.default = String(r.default);
  }

  loadAll().then(showView).catch((error) => setStatus(`could not load the network: ${error.message}`));
})();
