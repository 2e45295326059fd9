// The light questionnaire's script (apps/answer_page.py): one question at a time, each answer
// posted the moment it is given; an answer the server did not take is kept (in this page and
// in the browser's storage) and sent again. Every text from people is set with textContent.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wb-data").textContent);
  var steps = data.steps, lists = data.lists, listButtons = [];
  var own = data.answers || {}, est = data.expected || {};
  var DELAYS = [1, 2, 5, 10, 20, 30];
  var KEEP = "wb-pending-" + data.token.slice(0, 12);
  var $ = function (id) { return document.getElementById(id); };
  var app = $("wb-app"), options = $("wb-options"), comment = $("wb-comment-box");
  var statusBox = app.querySelector(".wb-status"), retryBtn = $("wb-retry");
  var backBtn = $("wb-back"), nextBtn = $("wb-next"), done = $("wb-done");
  var index = 0, saves = 0, pending = [], sending = false, attempts = 0, timer = null;
  // a sentence of the page, in the respondent's language, with its {placeholders} filled in
  function t(key, vars) {
    return data.text[key].replace(/%\((\w+)\)[sd]/g, function (m, name) {
      return vars && name in vars ? String(vars[name]) : m;
    });
  }

  function states(about) { return about === "other-side" ? est : own; }
  function stateOf(step) { return states(step.about)[step.q] || null; }
  function answered(s) { return !!s && (s.value !== null || s.dk || s.na); }
  function ownSteps(lid) {
    return steps.filter(function (s) { return s.about === "self" && (!lid || s.list === lid); });
  }
  function expectSteps(lid) {
    return steps.filter(function (s) {
      return s.about === "other-side" && (!lid || s.list === lid);
    });
  }
  function count(list) {
    return list.filter(function (s) { return answered(stateOf(s)); }).length;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function progress(box, doneN, total, label, verbKey, cls) {
    var wrap = el("div", "wb-progress" + (cls ? " " + cls : ""));
    wrap.appendChild(el("div", "wb-progress-label",
      label + ": " + t(verbKey, {done: doneN, total: total})));
    var track = el("div", "wb-progress-track");
    track.setAttribute("role", "progressbar");
    track.setAttribute("aria-label", label);
    track.setAttribute("aria-valuemin", "0");
    track.setAttribute("aria-valuemax", String(total));
    track.setAttribute("aria-valuenow", String(doneN));
    var fill = el("div", "wb-progress-fill");
    fill.style.width = (total > 0 ? Math.round(100 * doneN / total) : 0) + "%";
    track.appendChild(fill);
    wrap.appendChild(track);
    box.replaceChildren(wrap);
  }

  function buildLists() {
    $("wb-lists").replaceChildren();
    listButtons = lists.map(function (l) {
      var b = el("button", "jupyter-button wb-listbtn");
      b.type = "button";
      b.addEventListener("click", function () { goList(l.id); });
      $("wb-lists").appendChild(b);
      return b;
    });
  }

  // the words around the steps, in the page's language
  function labels() {
    document.documentElement.lang = data.lang;
    backBtn.textContent = t("back");
    backBtn.title = t("back_title");
    nextBtn.title = t("next_title");
    retryBtn.textContent = t("retry");
    $("wb-comment-label").textContent = t("comment");
    var name = document.querySelector(".wb-page-name");
    if (name) { name.textContent = t("questionnaire"); }
    if ($("wb-lang-label")) { $("wb-lang-label").textContent = t("language"); }
  }

  function refresh() {
    var step = steps[index], all = ownSteps();
    progress($("wb-overall"), count(all), all.length, t("overall"), "answered_of");
    if (expectSteps().length) {
      progress($("wb-expect-progress"), count(expectSteps()), expectSteps().length,
        t("expect_progress", {org: data.other_org}), "given_of", "wb-progress-expect");
    }
    var cur = lists.filter(function (l) { return l.id === step.list; })[0];
    progress($("wb-list-progress"), count(ownSteps(cur.id)), cur.total, cur.title,
      "answered_of");
    lists.forEach(function (l, i) {
      var n = count(ownSteps(l.id)), e = count(expectSteps(l.id));
      var b = listButtons[i];
      b.textContent = l.title + " " + n + "/" + l.total;
      b.title = l.expect_total ?
        t("list_title_expect", {list: l.title, n: n, total: l.total, e: e,
                                etotal: l.expect_total}) :
        t("list_title", {list: l.title, n: n, total: l.total});
      b.classList.toggle("mod-info", l.id === step.list);
      b.classList.toggle("wb-complete", n === l.total);
      b.setAttribute("aria-current", l.id === step.list ? "true" : "false");
    });
  }

  function ownLine(step) {
    var mine = own[step.q], line = document.querySelector("#wb-card .wb-expect-own");
    if (!line) { return; }
    if (!answered(mine)) {
      line.textContent = t("own_none");
    } else if (mine.dk) {
      line.textContent = t("own_dk");
    } else if (mine.na) {
      line.textContent = t("own_na");
    } else {
      line.textContent = t("own_value", {value: mine.value,
                                         anchor: step.anchors[String(mine.value)] || ""});
    }
  }

  function go(i) {
    index = Math.max(0, Math.min(i, steps.length - 1));
    var step = steps[index], s = stateOf(step), expecting = step.about === "other-side";
    $("wb-card").innerHTML = step.card;  // rendered by the server's autoescaping templates
    ownLine(step);
    app.classList.toggle("wb-expecting", expecting);
    comment.placeholder = t(expecting ? "comment_expect" : "comment_own");
    var chosen = !s ? null : s.dk ? "dk" : s.na ? "na" : s.value;
    options.replaceChildren();
    step.choices.forEach(function (c, k) {
      var label = el("label"), input = el("input");
      input.type = "radio";
      input.name = "wb-choice";
      input.value = String(c[0]);
      input.id = "wb-choice-" + k;
      input.checked = chosen !== null && String(chosen) === String(c[0]);
      input.addEventListener("change", function () { if (input.checked) { choose(c[0]); } });
      label.appendChild(el("span", "", c[1]));
      label.appendChild(input);
      options.appendChild(label);
    });
    comment.value = s ? s.comment || "" : "";
    backBtn.disabled = index === 0;
    nextBtn.textContent = t(index === steps.length - 1 ? "finish" : "next");
    if (!pending.length) { showStatus(null); }
    refresh();
  }

  function goList(lid) {
    var idx = [];
    steps.forEach(function (s, k) { if (s.list === lid) { idx.push(k); } });
    var todo = idx.filter(function (k) { return !answered(stateOf(steps[k])); });
    done.replaceChildren();
    go((todo.length ? todo : idx)[0]);
  }

  function firstUnanswered() {
    for (var k = 0; k < steps.length; k++) {
      if (!answered(stateOf(steps[k]))) { return k; }
    }
    return steps.length - 1;
  }

  // ---- saving ----------------------------------------------------------------------------
  function showStatus(st) {
    retryBtn.hidden = !(st && st.state === "retrying");
    if (!st) { statusBox.replaceChildren(); return; }
    saves += 1;
    statusBox.setAttribute("data-saves", String(saves));
    if (st.state === "hint") {
      statusBox.replaceChildren(document.createTextNode(st.message));
      return;
    }
    var ok = st.state === "saved" || st.state === "unchanged";
    var key = (st.about === "other-side" ? "saved_estimate" : "saved") + (st.at ? "_at" : "");
    var span = el("span", ok ? "wb-saved" : "wb-unsaved", ok ? t(key, {time: st.at}) :
      st.message);
    statusBox.replaceChildren(span);
  }

  function keep() {
    try {
      if (pending.length) { localStorage.setItem(KEEP, JSON.stringify(pending)); }
      else { localStorage.removeItem(KEEP); }
    } catch (e) { /* private mode: the page itself still keeps them */ }
  }

  function queue(step, s) {
    var answer = {t: data.token, q: step.q, about: step.about, lang: data.lang,
                  choice: s.dk ? "dk" : s.na ? "na" : s.value, comment: s.comment || ""};
    pending = pending.filter(function (p) { return !(p.q === answer.q && p.about === answer.about); });
    pending.push(answer);
    keep();
    send();
  }

  function failed(what) {
    var delay = DELAYS[Math.min(attempts, DELAYS.length - 1)];
    attempts += 1;
    showStatus({state: "retrying", message: t(what + (pending.length === 1 ? "_one" : "_many"),
                                              {num: pending.length, seconds: delay})});
    if (!timer) { timer = setTimeout(function () { timer = null; send(); }, delay * 1000); }
  }

  function send() {
    if (sending || !pending.length) { return; }
    sending = true;
    var answer = pending[0];
    fetch(data.post, {method: "POST", credentials: "same-origin",
                      headers: {"Content-Type": "application/json", "X-XSRFToken": data.xsrf},
                      body: JSON.stringify(answer)})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (b) {
          return {status: r.status, body: b};
        });
      })
      .then(function (res) {
        sending = false;
        if (res.status === 200) {
          pending.shift();
          attempts = 0;
          keep();
          showStatus({state: res.body.state, at: res.body.at, about: answer.about});
        } else if (res.status >= 400 && res.status < 500) {
          pending.shift();
          keep();
          showStatus({state: "error", message: t("refused", {
            reason: res.body.message || t("refused_default")})});
        } else {
          failed("store_down");
          return;
        }
        send();
      })
      .catch(function () {
        sending = false;
        failed("server_down");
      });
  }

  function choose(value) {
    var step = steps[index], bag = states(step.about);
    var s = bag[step.q] || {value: null, dk: false, na: false, comment: comment.value};
    s.dk = value === "dk";
    s.na = value === "na";
    s.value = (s.dk || s.na) ? null : Number(value);
    s.comment = comment.value;
    bag[step.q] = s;
    queue(step, s);
    refresh();
  }

  comment.addEventListener("change", function () {
    var step = steps[index], s = stateOf(step);
    if (answered(s)) {
      s.comment = comment.value;
      queue(step, s);
    } else {
      showStatus({state: "hint",
                  message: t(step.about === "other-side" ? "hint_expect" : "hint_own")});
    }
  });

  function finish() {
    var n = count(ownSteps()), total = ownSteps().length;
    var e = count(expectSteps()), etotal = expectSteps().length, msg;
    var vars = {n: n, total: total, e: e, etotal: etotal, org: data.other_org};
    if (n === total && e === etotal) {
      msg = t(etotal ? "thanks_all_expect" : "thanks_all");
    } else {
      msg = t(etotal ? "thanks_some_expect" : "thanks_some", vars);
    }
    var box = el("div", "wb-notice wb-ok", msg);
    box.setAttribute("role", "status");
    done.replaceChildren(box);
  }

  backBtn.addEventListener("click", function () { done.replaceChildren(); go(index - 1); });
  nextBtn.addEventListener("click", function () {
    if (index < steps.length - 1) { done.replaceChildren(); go(index + 1); } else { finish(); }
  });
  retryBtn.addEventListener("click", function () {
    if (timer) { clearTimeout(timer); timer = null; }
    send();
  });
  // the language switch: remembered for this person, then the page is drawn again in it
  // the same steps in the same order come back in the chosen language: answers on the page
  // stay as they are, the step on screen stays on screen
  var switcher = $("wb-lang");
  if (switcher) {
    switcher.addEventListener("change", function () {
      fetch(data.lang_post, {method: "POST", credentials: "same-origin",
                             headers: {"Content-Type": "application/json",
                                       "X-XSRFToken": data.xsrf},
                             body: JSON.stringify({t: data.token, lang: switcher.value,
                                                   list: data.list_id})})
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (payload) {
          data = payload.data;
          steps = data.steps;
          lists = data.lists;
          var tpl = document.createElement("template");
          tpl.innerHTML = payload.header;  // rendered by the server's autoescaping templates
          app.querySelector(".wb-hello").replaceWith(tpl.content);
          buildLists();
          labels();
          go(index);
        })
        .catch(function () { switcher.value = data.lang; });
    });
  }
  window.addEventListener("beforeunload", function (ev) {
    if (pending.length) { ev.preventDefault(); ev.returnValue = ""; }
  });

  // answers a previous visit of this page could not send: restore them and send them now
  try {
    var kept = JSON.parse(localStorage.getItem(KEEP) || "[]");
    kept.forEach(function (p) {
      if (p.t !== data.token) { return; }
      states(p.about)[p.q] = {value: typeof p.choice === "number" ? p.choice : null,
                              dk: p.choice === "dk", na: p.choice === "na",
                              comment: p.comment};
      pending.push(p);
    });
  } catch (e) { /* nothing kept */ }
  buildLists();
  labels();
  go(firstUnanswered());
  send();
}());
