/* Atlante di Comunità: decrypts a reserved verbale in the browser (WebCrypto).
   The page holds {salt, iv, ct, iter} made by scripts/atlante/pagine/riservati.py:
   PBKDF2-SHA256 -> AES-256-GCM key, the verbale id as associated data. The id is the page's own
   (data-verbale, written by the build from the file name), never the envelope's "ad": verbale A's
   envelope pasted into B's page does not decrypt. The password never leaves the browser. */
(function () {
  "use strict";

  function bytes(b64) {
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  async function decifra(busta, password, id) {
    var enc = new TextEncoder();
    var base = await crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, ["deriveKey"]);
    var key = await crypto.subtle.deriveKey(
      { name: "PBKDF2", hash: "SHA-256", salt: bytes(busta.salt), iterations: busta.iter },
      base, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
    var chiaro = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes(busta.iv), additionalData: enc.encode(id) }, key, bytes(busta.ct));
    return new TextDecoder().decode(chiaro);
  }

  function avvia(form) {
    if (form.dataset.pronto) return;
    form.dataset.pronto = "1";
    var esito = form.querySelector(".atlante-riservato__esito");
    var testo = form.parentNode.querySelector(".atlante-riservato__testo");
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      if (!window.crypto || !crypto.subtle) {
        esito.textContent = "Il browser non può decifrare il testo: serve una connessione sicura (https) e un browser aggiornato.";
        return;
      }
      var busta;
      try { busta = JSON.parse(form.dataset.busta); } catch (e) {
        esito.textContent = "Il testo cifrato di questa pagina è danneggiato: segnalalo all'Ufficio di Piano.";
        return;
      }
      esito.textContent = "Decifratura in corso…";
      try {
        var html = await decifra(busta, form.elements.password.value, form.dataset.verbale || "");
        /* The HTML was rendered at build time from the UdP's own text with raw HTML disabled. */
        testo.innerHTML = html;
        esito.textContent = "";
        testo.hidden = false;
        form.hidden = true;
        testo.setAttribute("tabindex", "-1");
        testo.focus();
      } catch (e) {
        esito.textContent = "Password errata: il testo non può essere decifrato. Riprova o chiedi la password all'Ufficio di Piano.";
        form.elements.password.select();
      }
    });
  }

  function tutti() {
    document.querySelectorAll("form.atlante-riservato__form").forEach(avvia);
  }
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(tutti); /* Material instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", tutti);
  } else {
    tutti();
  }
})();
