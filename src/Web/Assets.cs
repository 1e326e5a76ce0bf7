namespace AverLab.Web;

/// <summary>The stylesheet and the script, served by the app itself (no CDN, no build step): drag-and-drop upload
/// with progress, polling an analysis until it finishes, and placing face boxes over an image.</summary>
public static class Assets
{
    public const string Css = """
        body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
        header{display:flex;gap:2em;align-items:center;padding:.6em 1.5em;background:#243447;color:#fff}
        header a{color:#fff;text-decoration:none;margin-right:1.2em}.brand{font-weight:bold}
        main{padding:1em 1.5em;max-width:1100px}
        table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
        th{background:#eef}
        #drop{border:2px dashed #889;border-radius:8px;padding:2em;text-align:center;background:#fff}
        #drop.over{background:#e8f0ff}
        .error{color:#a00;font-weight:bold}.muted{color:#666}
        .dominant{font-size:1.6em}
        .faces{position:relative;display:inline-block}.faces img{max-width:640px;display:block}
        .face-box{position:absolute;border:3px solid #e33;box-sizing:border-box}
        .face-box span{position:absolute;top:-1.5em;left:0;background:#e33;color:#fff;font-size:.8em;padding:0 4px;white-space:nowrap}
        img.chart{max-width:100%;border:1px solid #ddd;background:#fff;margin:.4em 0}
        progress{width:320px}
        """;

    public const string Js = """
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
            var poll = function () {
              fetch('/api/analyses/' + id, { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); }).then(function (a) {
                if (a.status === 'done' || a.status === 'failed') { location.reload(); return; }
                pending.querySelector('.state').textContent = a.status + (a.status === 'queued' && a.queue_length ? ' (' + a.queue_length + ' waiting)' : '');
                setTimeout(poll, 500);
              }).catch(function () { setTimeout(poll, 2000); });
            };
            setTimeout(poll, 300);
          }
          document.querySelectorAll('.faces').forEach(function (box) {
            var img = box.querySelector('img');
            var place = function () {
              box.querySelectorAll('.face-box').forEach(function (f) {
                var w = img.naturalWidth, h = img.naturalHeight;
                f.style.left = (100 * f.dataset.x / w) + '%'; f.style.top = (100 * f.dataset.y / h) + '%';
                f.style.width = (100 * f.dataset.w / w) + '%'; f.style.height = (100 * f.dataset.h / h) + '%';
              });
            };
            if (img.complete && img.naturalWidth) place(); else img.addEventListener('load', place);
          });
        })();
        """;
}
