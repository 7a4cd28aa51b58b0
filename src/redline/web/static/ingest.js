// Polls an ingest job's JSON twin and updates its page until the job is done.
(function () {
  "use strict";
  var box = document.querySelector("[data-job]");
  if (!box || box.getAttribute("data-done") === "true") return;
  var url = "/ingest/jobs/" + encodeURIComponent(box.getAttribute("data-job")) + ".json";
  function set(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = value === null || value === undefined ? "" : String(value);
  }
  function show(job) {
    ["state", "current", "read", "new", "duplicates", "statements"].forEach(function (k) { set(k, job[k]); });
    var list = box.querySelector('[data-field="errors"]');
    if (list) {
      list.textContent = "";
      job.errors.forEach(function (e) {
        var li = document.createElement("li");
        li.textContent = e;
        list.appendChild(li);
      });
    }
    box.setAttribute("data-state", job.state);
    box.setAttribute("data-done", job.done ? "true" : "false");
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (job) { show(job); if (!job.done) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
