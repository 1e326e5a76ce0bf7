using AverLab.Inference;

namespace AverLab.Web;

/// <summary>Which runs analyse an upload: the ones asked for (checked against the media), or by default the newest run
/// that fits it — audio: the newest audio run; image: the newest face run; video: the newest audio and face runs
/// together (combined when the video has sound), else the newest face run, else the newest clip model. When no run in
/// the experiments folder fits, the installed model packages are chosen from the same way (lookup order for newest).</summary>
public static class RunSelection
{
    /// <summary>The runs, or an error: <c>Status</c> 400 for a bad request (unknown id, runs that do not go together),
    /// 422 when no run in the experiments folder fits the media.</summary>
    public static (IReadOnlyList<RunInfo> Runs, int Status, string? Error) Choose(Catalog catalog, MediaKind kind, AnalysisMode mode, IReadOnlyList<string> ids)
    {
        if (ids.Count > 0)
        {
            var chosen = new List<RunInfo>();
            foreach (var id in ids.Distinct())
            {
                if (catalog.Run(id) is not { } run) return ([], 400, $"unknown run id '{Clip(id)}' (GET /api/runs lists them)");
                if (run.Roles == null) return ([], 400, $"run {run.Name} cannot be used: {run.Problem}");
                chosen.Add(run);
            }
            var error = Check(chosen, kind, mode);
            return error == null ? (chosen, 0, null) : ([], 400, error);
        }
        var pick = Pick(catalog.Runs, kind, mode); // newest first
        if (pick.Count == 0) pick = Pick(catalog.Packages, kind, mode); // lookup order
        if (pick.Count == 0)
            return ([], 422, $"no trained run in the experiments folder and no installed model package fits this {kind.ToString().ToLowerInvariant()} file (mode {mode.ToString().ToLowerInvariant()}): train one (README) or choose another mode");
        return (pick, 0, null);
    }

    private static IReadOnlyList<RunInfo> Pick(IReadOnlyList<RunInfo> candidates, MediaKind kind, AnalysisMode mode)
    {
        var usable = candidates.Where(r => r.Roles != null).ToList();
        RunInfo? First(Func<ModelRoles, bool> fits) => usable.FirstOrDefault(r => fits(r.Roles!));
        var audio = First(r => r.Audio);
        var face = First(r => r.Faces);
        var clip = First(r => r.Clips && (mode != AnalysisMode.Combined || r.AudioVisualClips));
        return kind switch
        {
            MediaKind.Audio => audio is null ? [] : [audio],
            MediaKind.Image => face is null ? [] : [face],
            _ => mode switch
            {
                AnalysisMode.Audio => audio is null ? [] : [audio],
                AnalysisMode.Combined => audio != null && face != null ? [audio, face] : clip is null ? [] : [clip],
                AnalysisMode.Video => face != null ? [face] : clip is null ? [] : [clip],
                _ => audio != null && face != null ? [audio, face] : face != null ? [face] : clip != null ? [clip] : audio is null ? [] : [audio],
            },
        };
    }

    /// <summary>Null when the runs can analyse the media in that mode, else why not.</summary>
    public static string? Check(IReadOnlyList<RunInfo> runs, MediaKind kind, AnalysisMode mode)
    {
        var roles = runs.Select(r => r.Roles!).ToList();
        int Count(Func<ModelRoles, bool> f) => roles.Count(f);
        if (Count(r => r.Audio) > 1 || Count(r => r.Faces) > 1 || Count(r => r.Clips) > 1)
            return "choose at most one audio run, one face run and one clip run";
        if (Count(r => r.Clips) == 1 && runs.Count > 1) return "a clip model analyses videos on its own: choose it alone";
        return kind switch
        {
            MediaKind.Audio when Count(r => r.Audio) == 0 => "an audio file needs an audio run among the chosen ones",
            MediaKind.Image when Count(r => r.Faces) == 0 => "an image needs a face run among the chosen ones",
            MediaKind.Video when mode == AnalysisMode.Audio && Count(r => r.Audio) == 0 => "mode audio needs an audio run",
            MediaKind.Video when mode == AnalysisMode.Combined && !(Count(r => r.Audio) == 1 && Count(r => r.Faces) == 1) && Count(r => r.AudioVisualClips) == 0
                => "mode combined needs an audio run and a face run, or an audio-visual clip model",
            _ => null,
        };
    }

    /// <summary>Whether the mode can apply to the media at all (auto always can).</summary>
    public static string? CheckMode(MediaKind kind, AnalysisMode mode) => (kind, mode) switch
    {
        (_, AnalysisMode.Auto) => null,
        (MediaKind.Audio, AnalysisMode.Audio) or (MediaKind.Image, AnalysisMode.Image) => null,
        (MediaKind.Video, AnalysisMode.Video or AnalysisMode.Combined or AnalysisMode.Audio) => null,
        _ => $"mode {mode.ToString().ToLowerInvariant()} does not apply to a {kind.ToString().ToLowerInvariant()} file",
    };

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
