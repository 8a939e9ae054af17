/* Atlante di Comunità: the maps. Loaded by partials/atlante-mappe.html only on pages that
 * hold a map. Points come from mappa/punti.json (the features of dati/enti.geojson as compact
 * rows: geodati.punti_mappa), boundaries from dati/confini.geojson.
 * Record values are only ever set with textContent / attributes: never parsed as HTML. */
(function () {
  "use strict";
  var base = (window.atlanteBase || ".").replace(/\/$/, "");
  var tiles = window.atlanteTiles || {};
  var dati = null;

  function carica(percorso) {
    return fetch(base + "/" + percorso).then(function (r) {
      if (!r.ok) { throw new Error(percorso + ": HTTP " + r.status); }
      return r.json();
    });
  }

  /* Rows of punti.json back into GeoJSON-like features with the properties of enti.geojson. */
  function featureDaRiga(dati, r) {
    var tipo = dati.tipi[r[2]];
    var comuni = r[3].map(function (i) { return dati.comuni[i]; });
    return {type: "Feature", geometry: {type: "Point", coordinates: [r[4], r[5]]}, properties: {
      id: r[0], nome: r[1], tipo: tipo.id, tipo_etichetta: tipo.etichetta,
      comune: comuni.map(function (c) { return c.nome; }).join(", ") || null,
      istat: comuni.length ? comuni[0].istat : null,
      comuni: comuni.map(function (c) { return c.istat; }),
      approssimata: r[6] === 1,
      temi: r[7].map(function (i) { return dati.temi[i]; }),
      url: tipo.url + r[0] + "/"
    }};
  }

  var confini = null;
  function caricaConfini() {
    confini = confini || carica("dati/confini.geojson");
    return confini;
  }

  function caricaPunti(percorso) {
    return carica(percorso).then(function (d) {
      return {type: "FeatureCollection", features: d.punti.map(function (r) { return featureDaRiga(d, r); })};
    });
  }

  function datiMappe() {
    dati = dati || Promise.all([caricaPunti("mappa/punti.json"), caricaConfini()]);
    return dati;
  }

  /* Small maps load no list of every point of the network: a record page carries its own point
   * (data-punto, the feature of enti.geojson); a comune page loads mappa/comuni/<istat>.json. */
  function datiPiccola(box) {
    var punto = box.getAttribute("data-punto"), istat = box.getAttribute("data-istat");
    if (punto) {
      return caricaConfini().then(function (c) { return [{features: [JSON.parse(punto)]}, c]; });
    }
    if (box.getAttribute("data-mappa") === "comune" && /^[0-9]+$/.test(istat || "")) {
      return Promise.all([caricaPunti("mappa/comuni/" + istat + ".json"), caricaConfini()]);
    }
    return datiMappe();
  }

  function el(tag, cls, testo) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (testo !== undefined && testo !== null) { e.textContent = testo; }
    return e;
  }

  function latlng(f) {
    var c = f.geometry.type === "Point" ? f.geometry.coordinates : f.geometry.coordinates[0];
    return [c[1], c[0]];
  }

  function popup(p) {
    var box = el("div", "atlante-popup");
    box.appendChild(el("strong", "atlante-popup-nome", p.nome));
    box.appendChild(el("div", "atlante-popup-tipo", p.tipo_etichetta));
    if (p.comune) { box.appendChild(el("div", "atlante-popup-comune", p.comune)); }
    if (p.approssimata) {
      box.appendChild(el("div", "atlante-popup-approssimata",
        "Posizione approssimata: il punto è al centro del comune."));
    }
    var a = el("a", "atlante-popup-link", "Apri la scheda");
    a.href = base + "/" + p.url;
    box.appendChild(a);
    return box;
  }

  function marker(f) {
    var p = f.properties;
    var icon = L.divIcon({
      className: "atlante-punto atlante-tipo-" + p.tipo + (p.approssimata ? " atlante-approssimata" : ""),
      iconSize: [18, 18], html: ""
    });
    var m = L.marker(latlng(f), {icon: icon, title: p.nome + " (" + p.tipo_etichetta + ")",
                                 alt: p.nome, keyboard: true});
    m.bindPopup(function () { return popup(p); });
    m.atlanteId = p.id;
    return m;
  }

  /* ---- the background: no third-party request until the visitor asks for it ---------------
   * The maps draw the comuni outlines as their background. The OpenStreetMap tiles (or the
   * server set in extra.atlante.tiles_url) load only after "Mostra la mappa di sfondo"; the
   * choice is remembered on this device (localStorage, never sent anywhere). */
  var CHIAVE_SFONDO = "atlante-sfondo";
  var mappe = [];  // [{map, strato}] of every map on the page
  var bottoni = [];

  function sfondoScelto() {
    try { return window.localStorage.getItem(CHIAVE_SFONDO) === "1"; } catch (e) { return false; }
  }

  function ricordaSfondo(si) {
    try {
      if (si) { window.localStorage.setItem(CHIAVE_SFONDO, "1"); }
      else { window.localStorage.removeItem(CHIAVE_SFONDO); }
    } catch (e) { /* private browsing: the choice lasts for this page only */ }
  }

  function mostraSfondo(voce) {
    if (voce.strato) { return; }
    voce.strato = L.tileLayer(tiles.url || "https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      attribution: tiles.attribution || "", maxZoom: 19, referrerPolicy: "strict-origin-when-cross-origin"
    }).addTo(voce.map);
    voce.strato.bringToBack();
  }

  function nascondiSfondo(voce) {
    if (voce.strato) { voce.map.removeLayer(voce.strato); voce.strato = null; }
  }

  function aggiornaBottoni() {
    var acceso = sfondoScelto();
    bottoni.forEach(function (b) {
      b.setAttribute("aria-pressed", acceso ? "true" : "false");
      b.textContent = acceso ? "Nascondi la mappa di sfondo" : "Mostra la mappa di sfondo";
    });
  }

  function bottoneSfondo() {
    var wrap = el("div", "atlante-sfondo");
    var b = el("button", "md-button atlante-sfondo-bottone");
    b.type = "button";
    b.addEventListener("click", function () {
      var acceso = !sfondoScelto();
      ricordaSfondo(acceso);
      mappe.forEach(acceso ? mostraSfondo : nascondiSfondo);
      aggiornaBottoni();
    });
    bottoni.push(b);
    wrap.appendChild(b);
    var nota = el("span", "atlante-sfondo-nota",
      " Lo sfondo con strade e luoghi viene da OpenStreetMap: mostrarlo invia il tuo indirizzo IP ai suoi server. ");
    var a = el("a", null, "Privacy");
    a.href = base + "/privacy/#mappe";
    nota.appendChild(a);
    wrap.appendChild(nota);
    aggiornaBottoni();
    return wrap;
  }

  function registra(map) {
    // without a tile layer the map has no zoom range, which marker clusters need
    map.setMinZoom(8);
    map.setMaxZoom(19);
    var voce = {map: map, strato: null};
    mappe.push(voce);
    if (sfondoScelto()) { mostraSfondo(voce); }
  }

  function confiniLayer(confini, filtro, stile) {
    return L.geoJSON(confini, {
      filter: filtro, interactive: false,
      style: stile || function (f) {
        return {color: "#555", weight: 1, fillColor: f.properties.colore, fillOpacity: 0.25};
      }
    });
  }

  function comuniDi(p) { return p.comuni || (p.istat ? [p.istat] : []); }  // GeoJSON: istat, patti: comuni

  /* A pact is an area, never a point in its first comune: its comuni's outlines, with a short
   * label ("tutti i 48 comuni dell'Ambito", or "12 comuni"). */
  function etichettaComuni(p, totale) {
    var n = comuniDi(p).length;
    if (p.tipo !== "patto") { return p.comune || ""; }
    return n === totale ? "tutti i " + n + " comuni dell'Ambito" : n === 1 ? (p.comune || "1 comune") : n + " comuni";
  }

  function areaPatto(confini, p, totale) {
    var istat = comuniDi(p);
    var strato = confiniLayer(confini, function (c) { return istat.indexOf(c.properties.istat) >= 0; },
      function () { return {color: "#6a3d9a", weight: 2, dashArray: "4 3", fillOpacity: 0.1}; });
    strato.bindPopup(function () {
      var box = el("div", "atlante-popup");
      box.appendChild(el("strong", "atlante-popup-nome", p.nome));
      box.appendChild(el("div", "atlante-popup-tipo", p.tipo_etichetta));
      box.appendChild(el("div", "atlante-popup-comune", "Area: " + etichettaComuni(p, totale)));
      var a = el("a", "atlante-popup-link", "Apri la scheda");
      a.href = base + "/" + p.url;
      box.appendChild(a);
      return box;
    }, {autoPanPaddingTopLeft: [60, 10]});
    return strato;
  }

  function limitiComune(confini, istat) {
    var b = confiniLayer(confini, function (c) { return c.properties.istat === istat; }).getBounds();
    return b.isValid() ? b : null;
  }

  /* ---- the network map page ------------------------------------------------------------ */
  function rete(root) {
    var map = window.atlanteReteInit();
    map.scrollWheelZoom.disable(); // the page scrolls; zoom with the +/- buttons or the keyboard
    var carta = root.querySelector(".atlante-carta");
    carta.parentNode.insertBefore(bottoneSfondo(), carta);
    registra(map);
    var stato = document.getElementById("atlante-conteggio");
    var tbody = root.querySelector("#atlante-elenco tbody");
    var form = root.querySelector(".atlante-filtri");
    datiMappe().then(function (res) {
      var enti = res[0], confini = res[1];
      var totale = confini.features.length;
      confiniLayer(confini).addTo(map);
      var cluster = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40});
      var aree = L.layerGroup().addTo(map);
      var voci = enti.features.map(function (f) {
        var p = f.properties;
        return {f: f, p: p, m: p.tipo === "patto" ? null : marker(f),
                area: p.tipo === "patto" ? areaPatto(confini, p, totale) : null};
      });
      map.addLayer(cluster);
      var richiesto = new URLSearchParams(window.location.search).get("comune");
      if (richiesto && form.elements.comune.querySelector("option[value='" + richiesto.replace(/[^0-9]/g, "") + "']")) {
        form.elements.comune.value = richiesto;
      }

      function applica() {
        var tipi = {};
        form.querySelectorAll("input[name=tipo]").forEach(function (c) { tipi[c.value] = c.checked; });
        var tema = form.elements.tema.value, comune = form.elements.comune.value;
        var visibili = voci.filter(function (v) {
          return tipi[v.p.tipo] && (!tema || (v.p.temi || []).indexOf(tema) >= 0) &&
                 (!comune || comuniDi(v.p).indexOf(comune) >= 0);
        });
        cluster.clearLayers();
        cluster.addLayers(visibili.filter(function (v) { return v.m; }).map(function (v) { return v.m; }));
        aree.clearLayers();
        visibili.forEach(function (v) { if (v.area) { aree.addLayer(v.area); } });
        elenco(visibili);
        var approx = visibili.filter(function (v) { return v.p.approssimata && v.m; }).length;
        var nAree = visibili.filter(function (v) { return v.area; }).length;
        var note = [];
        if (nAree) { note.push(nAree === 1 ? "1 patto mostrato come area" : nAree + " patti mostrati come aree"); }
        if (approx) { note.push(approx + " con posizione approssimata"); }
        stato.textContent = visibili.length + " schede sulla mappa su " + voci.length +
          (note.length ? " (" + note.join("; ") + ")" : "") + ".";
        root.setAttribute("data-punti", String(visibili.length));
        if (comune) {
          var b = limitiComune(confini, comune);
          if (b) { map.fitBounds(b.pad(0.1)); }
        }
      }

      function mostra(v) {
        map.getContainer().scrollIntoView({block: "center"});
        if (v.area) {
          map.fitBounds(v.area.getBounds().pad(0.05));
          v.area.openPopup(v.area.getBounds().getCenter());
          return;
        }
        if (v.p.approssimata && v.p.istat) {
          // an approximate point stands for the whole comune: show the comune, not 20 m around it
          var b = limitiComune(confini, v.p.istat);
          if (b) { map.fitBounds(b.pad(0.1)); }
          map.once("moveend", function () {
            cluster.zoomToShowLayer(v.m, function () { v.m.openPopup(); });
          });
          return;
        }
        // markercluster drops the callback when asked while the map is still zooming
        var apri = function () { cluster.zoomToShowLayer(v.m, function () { v.m.openPopup(); }); };
        if (map._animatingZoom) { map.once("zoomend", apri); } else { apri(); }
      }

      function elenco(visibili) {
        var frag = document.createDocumentFragment();
        visibili.slice().sort(function (a, b) { return a.p.nome.localeCompare(b.p.nome, "it"); })
          .forEach(function (v) {
            var tr = el("tr"), th = el("th"), a = el("a", null, v.p.nome);
            th.scope = "row"; a.href = base + "/" + v.p.url; th.appendChild(a); tr.appendChild(th);
            tr.appendChild(el("td", null, v.p.tipo_etichetta));
            tr.appendChild(el("td", null, etichettaComuni(v.p, totale)));
            tr.appendChild(el("td", null, v.area ? "area dei comuni" :
              v.p.approssimata ? "approssimata (centro del comune)" : "esatta"));
            var td = el("td"), b = el("button", "md-button atlante-mostra", "Mostra");
            b.type = "button";
            b.setAttribute("aria-label", "Mostra sulla mappa: " + v.p.nome);
            b.addEventListener("click", function () { mostra(v); });
            td.appendChild(b); tr.appendChild(td);
            frag.appendChild(tr);
          });
        tbody.replaceChildren(frag);
      }

      form.addEventListener("change", applica);
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      applica();
      if (!form.elements.comune.value) {
        var bounds = L.geoJSON(confini).getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds.pad(0.02), {animate: false}); }
      }
      root.setAttribute("data-pronta", "1");
    }).catch(function (err) {
      if (window.console) { console.error(err); }
      stato.textContent = "Non è stato possibile caricare i dati della mappa (" + err.message + ").";
    });
  }

  /* ---- small maps: <div class="atlante-mappa" data-mappa="scheda|comune" ...> -------------- */
  function piccola(box) {
    var tipo = box.getAttribute("data-mappa"), id = box.getAttribute("data-id"),
        istat = box.getAttribute("data-istat");
    var carta = el("div", "atlante-mappa-carta");
    carta.setAttribute("role", "region");
    box.appendChild(bottoneSfondo());
    box.appendChild(carta);
    datiPiccola(box).then(function (res) {
      var enti = res[0], confini = res[1];
      var punti = enti.features.filter(function (f) {
        return tipo === "scheda" ? f.properties.id === id : comuniDi(f.properties).indexOf(istat) >= 0;
      });
      var istats = tipo === "scheda" && punti.length ? comuniDi(punti[0].properties) : [istat];
      carta.setAttribute("aria-label", tipo === "scheda" ? "Mappa della posizione della scheda"
                                                         : "Mappa del comune e delle sue schede");
      var map = L.map(carta, {scrollWheelZoom: false});
      registra(map);
      var bordo = confiniLayer(confini, function (c) { return istats.indexOf(c.properties.istat) >= 0; })
        .addTo(map);
      // a pact is not a point of this comune: listed below the map, not drawn in its first comune
      var gruppo = L.featureGroup(punti.filter(function (f) { return f.properties.tipo !== "patto"; })
        .map(marker)).addTo(map);
      // centred on the comune: its outline decides the view (a point is inside it, within 150 m)
      var b = bordo.getBounds();
      if (!b.isValid() && gruppo.getLayers().length) { b = gruppo.getBounds(); }
      if (b.isValid()) { map.fitBounds(b.pad(0.05), {maxZoom: 15}); } else { map.setView([45, 9], 8); }
      box.appendChild(testoAccessibile(tipo, punti));
      box.setAttribute("data-pronta", "1");
      box.setAttribute("data-punti", String(punti.length));
    }).catch(function (err) {
      box.appendChild(el("p", null, "Mappa non disponibile (" + err.message + ")."));
    });
  }

  function testoAccessibile(tipo, punti) {
    if (tipo === "scheda") {
      var p = punti.length ? punti[0].properties : null;
      return el("p", "atlante-mappa-nota", !p ? "Questa scheda non ha una posizione sulla mappa." :
        p.approssimata ? "Posizione approssimata: il punto è al centro del comune di " + p.comune + "." :
        "Posizione sulla mappa: " + (p.comune || "") + ".");
    }
    var wrap = el("div", "atlante-mappa-elenco");
    wrap.appendChild(el("p", null, punti.length ? "Sulla mappa (" + punti.length + "):" :
                                                  "Nessuna scheda con posizione in questo comune."));
    var ul = el("ul");
    punti.forEach(function (f) {
      var li = el("li"), a = el("a", null, f.properties.nome);
      a.href = base + "/" + f.properties.url;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" (" + f.properties.tipo_etichetta +
        (f.properties.approssimata ? ", posizione approssimata" : "") + ")"));
      ul.appendChild(li);
    });
    if (punti.length) { wrap.appendChild(ul); }
    return wrap;
  }

  var root = document.getElementById("atlante-rete");
  if (root && window.atlanteReteInit) { rete(root); }
  document.querySelectorAll(".atlante-mappa").forEach(piccola);
})();
