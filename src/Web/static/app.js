(function () {
  var form = document.getElementById('upload-form');
  if (form) {
    var drop = document.getElementById('drop'), input = document.getElementById('file'), status = document.getElementById('upload-status');
    var bar = document.getElementById('upload-progress');
    ['dragenter', 'dragover'].forEach(function (t) { drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add('over'); }); });
    ['dragleave', 'drop'].forEach(function (t) { drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove('over'); }); });
    drop.addEventListener('drop', function (e) { if (e.dataTransfer.files.length) { input.files = e.dataTransfer.files; form.requestSubmit(); } });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!input.files.length) { status.textContent = 'Choose a file first.'; status.className = 'error'; return; }
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('X-Requested-With', 'fetch');
      bar.hidden = false; bar.value = 0; status.className = ''; status.textContent = 'Uploading…';
      xhr.upload.onprogress = function (ev) { if (ev.lengthComputable) bar.value = ev.loaded / ev.total; };
      xhr.onload = function () {
        var body = {}; try { body = JSON.parse(xhr.responseText); } catch (x) { }
        if (xhr.status === 202 && body.id) { status.textContent = 'Queued…'; location.href = '/analyses/' + body.id; }
        else { bar.hidden = true; status.className = 'error'; status.id = 'upload-error'; status.textContent = body.error || ('Upload failed (' + xhr.status + ')'); }
      };
      xhr.onerror = function () { bar.hidden = true; status.className = 'error'; status.textContent = 'The upload did not reach the server.'; };
      xhr.send(new FormData(form));
    });
  }
  var pending = document.getElementById('pending');
  if (pending) {
    var id = pending.getAttribute('data-id');
    var state = document.getElementById('state'), where = document.getElementById('queue-position');
    var bar2 = document.getElementById('analysis-progress'), text = document.getElementById('progress-text');
    var poll = function () {
      fetch('/api/analyses/' + id, { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); }).then(function (a) {
        if (a.status === 'done' || a.status === 'failed') { location.reload(); return; }
        state.textContent = a.status;
        where.textContent = a.status === 'queued' && a.queue_position
          ? 'position ' + a.queue_position + ' of ' + a.queue_length + ', starts in about ' + Math.max(1, Math.round(a.estimated_start_seconds)) + ' s' : '';
        if (a.status === 'running' && typeof a.progress === 'number') {
          bar2.value = a.progress; text.textContent = Math.round(100 * a.progress) + ' %';
        }
        setTimeout(poll, 500);
      }).catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 300);
  }
  // Boxes are in pixels of the image or frame the face was found in (data-fw/data-fh when the image shown is scaled).
  var placeBox = function (f, w, h) {
    f.style.left = (100 * f.dataset.x / w) + '%'; f.style.top = (100 * f.dataset.y / h) + '%';
    f.style.width = (100 * f.dataset.w / w) + '%'; f.style.height = (100 * f.dataset.h / h) + '%';
  };
  document.querySelectorAll('.faces').forEach(function (box) {
    var img = box.querySelector('img');
    var place = function () {
      box.querySelectorAll('.face-box').forEach(function (f) {
        placeBox(f, f.dataset.fw || img.naturalWidth, f.dataset.fh || img.naturalHeight);
      });
    };
    if (img.complete && img.naturalWidth) place(); else img.addEventListener('load', place);
  });
  // Over the player, the face of the frame being shown (the face timeline's entry for the current time).
  var player = document.getElementById('player');
  if (player) {
    var overlay = document.getElementById('player-box'), entries = [];
    fetch('/api/analyses/' + player.dataset.id, { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); }).then(function (a) {
      entries = (a.face_timeline || []).filter(function (e) { return e.box; });
    });
    var follow = function () {
      var t = player.currentTime, e = entries.find(function (x) { return t >= x.start && t < x.end; });
      if (!e) { overlay.hidden = true; return; }
      overlay.dataset.x = e.box.x; overlay.dataset.y = e.box.y; overlay.dataset.w = e.box.width; overlay.dataset.h = e.box.height;
      placeBox(overlay, e.box.frame_width, e.box.frame_height);
      overlay.querySelector('span').textContent = e.emotion;
      overlay.hidden = false;
    };
    ['timeupdate', 'seeked', 'loadeddata'].forEach(function (t) { player.addEventListener(t, follow); });
  }
  var del = document.getElementById('delete');
  if (del) {
    del.addEventListener('click', function () {
      if (!confirm('Delete this analysis, its upload and its results?')) return;
      fetch('/api/analyses/' + del.dataset.id, { method: 'DELETE' }).then(function (r) {
        if (r.status === 204) location.href = '/analyses';
        else r.json().then(function (b) { del.insertAdjacentText('afterend', ' ' + (b.error || r.status)); });
      });
    });
  }
})();
