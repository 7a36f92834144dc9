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
    organization: config.organization,
    sources: config.sources,
  };
  let sequence = 0;
  let current = null; // the last view the server sent

  const style = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": 12, "text-valign": "bottom", "text-halign": "center", "text-margin-y": 2,
      "text-wrap": "wrap", "text-max-width": 120, "color": "#1d2430", "text-outline-color": "#fff",
      "text-outline-width": 2, "width": "mapData(deg, 0, 25, 18, 64)", "height": "mapData(deg, 0, 25, 18, 64)",
      "border-width": 1, "border-color": "#fff" } },
    ...Object.entries(TYPE_STYLE).map(([type, s]) => ({
      selector: `node[type = "${type}"]`, style: { "shape": s.shape, "background-color": s.colour } })),
    { selector: 'node[type = "organization"]', style: { "font-weight": "bold", "font-size": 14 } },
    { selector: 'node[type = "person"], node[type = "event"], node[type = "group"]', style: { "font-size": 10 } },
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
    if (state.organization) p.set("organization", state.organization);
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

  // One layout of everything (all years and relations), so each node keeps its place as the filters change.
  async function loadAll() {
    const graph = await getJSON(`${config.endpoints.graph}?${params(false)}`);
    cy.add(elementsOf(graph));
    const types = Object.keys(TYPE_STYLE);
    // Deterministic start (a circle per node type), then a force-directed pass.
    cy.nodes().forEach((node, index) => {
      const ring = 150 + 120 * Math.max(0, types.indexOf(node.data("type")));
      const angle = (index * 2.399963) % (2 * Math.PI);
      node.position({ x: ring * Math.cos(angle), y: ring * Math.sin(angle) });
    });
    cy.nodes().forEach((n) => n.data("deg", n.degree(false)));
    const started = performance.now();
    await runLayout(cy.elements(), false);
    api.layoutMs = Math.round(performance.now() - started);
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
        nodeRepulsion: () => 200000, idealEdgeLength: () => 90, edgeElasticity: () => 100, gravity: 0.4,
        nodeOverlap: 20, componentSpacing: 60, numIter: 1500, nodeDimensionsIncludeLabels: true,
      });
      layout.one("layoutstop", resolve);
      layout.run();
    });
  }

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
    });
    cy.animate({ fit: { eles: visible(), padding: 30 } }, { duration: 250 });
    const counts = $("network-count");
    const year = state.year == null ? "all years" : state.year;
    counts.textContent = `${graph.nodes.length} nodes, ${graph.links.length} links (${year})`;
    counts.dataset.nodes = graph.nodes.length;
    counts.dataset.edges = graph.links.length;
    counts.dataset.year = state.year == null ? "all" : String(state.year);
    counts.dataset.relations = [...state.relations].sort().join(",");
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

  function syncYear() {
    const all = $("all-years").checked;
    $("year").disabled = all;
    state.year = all ? null : Number($("year").value);
    $("year-label").textContent = all ? "all years" : String(state.year);
  }

  $("all-years").checked = config.year == null;
  syncYear();
  $("all-years").addEventListener("change", () => { syncYear(); showView(); });
  $("year").addEventListener("input", () => { syncYear(); later(showView); });
  for (const box of document.querySelectorAll("#relations input[name=relation]")) {
    box.addEventListener("change", () => {
      if (box.checked) state.relations.add(box.value); else state.relations.delete(box.value);
      if (state.relations.size === 0) { box.checked = true; state.relations.add(box.value); return; }
      showView();
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

  loadAll().then(showView).catch((error) => setStatus(`could not load the network: ${error.message}`));
})();
