using AverLab.Data.Corpora;

namespace AverLab.Data.Labels;

/// <summary>An ordered set of class names and the rule that maps an item to one of them. Keys looked up, in order:
/// "corpus:native" (e.g. "tess:ps"), the native label, then the unified emotion name ("calm"); all
/// case-insensitive. Built-in spaces: <see cref="Native"/> (a corpus's own labels), <see cref="Unified"/> (eight
/// emotions), <see cref="Simplified5"/> (the seeds' five classes) and <see cref="Fer7"/>; custom ones from a config
/// dictionary with <see cref="FromMap"/>.</summary>
public sealed class LabelSpace
{
    private readonly Dictionary<string, int> map;

    private LabelSpace(string name, IReadOnlyList<string> classes, Dictionary<string, int> map)
    {
        Name = name;
        Classes = classes;
        this.map = map;
    }

    public string Name { get; }
    public IReadOnlyList<string> Classes { get; }
    public int Count => Classes.Count;

    /// <summary>The class index of an item, or null when the space has no class for it.</summary>
    public int? ClassOf(CorpusItem item)
    {
        if (map.TryGetValue($"{item.Corpus}:{item.NativeLabel}", out var c)) return c;
        if (map.TryGetValue(item.NativeLabel, out c)) return c;
        if (item.Emotion is { } e && map.TryGetValue(e.ToString(), out c)) return c;
        return null;
    }

    /// <summary>Maps items; unmapped ones are dropped with a count, or rejected, per <paramref name="policy"/>.</summary>
    public LabelMapping Apply(IEnumerable<CorpusItem> items, UnmappedPolicy policy = UnmappedPolicy.Drop)
    {
        var kept = new List<LabeledItem>();
        var dropped = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (ClassOf(item) is { } c) kept.Add(new LabeledItem(item, c));
            else
            {
                var key = $"{item.Corpus}:{item.NativeLabel}";
                dropped[key] = dropped.GetValueOrDefault(key) + 1;
            }
        }
        if (dropped.Count > 0 && policy == UnmappedPolicy.Reject) throw new UnmappedLabelException(Name, dropped);
        return new LabelMapping(this, kept, dropped);
    }

    /// <summary>The eight unified emotions, in <see cref="Emotion"/> order.</summary>
    public static LabelSpace Unified { get; } = FromEmotions("unified",
        Enum.GetValues<Emotion>().Select(e => (e.ToString().ToLowerInvariant(), new[] { e })).ToArray());

    /// <summary>The seeds' simplified five classes: Sad/Fear, Neutral (calm folds in), Happy, Angry, Surprise/Disgust.</summary>
    public static LabelSpace Simplified5 { get; } = FromEmotions("simplified5",
    [
        ("sad/fear", [Emotion.Sad, Emotion.Fearful]),
        ("neutral", [Emotion.Neutral, Emotion.Calm]),
        ("happy", [Emotion.Happy]),
        ("angry", [Emotion.Angry]),
        ("surprise/disgust", [Emotion.Surprised, Emotion.Disgust]),
    ]);

    /// <summary>FER2013's seven classes in its index order (0 angry .. 6 neutral); calm is unmapped.</summary>
    public static LabelSpace Fer7 { get; } = FromEmotions("fer7",
        Fer2013Corpus.ClassNames.Select((n, i) => (n, new[] { Fer2013Corpus.ClassEmotions[i] })).ToArray());

    /// <summary>A corpus's native labels as classes, in the given order (e.g. CREMA-D's ANG DIS FEA HAP NEU SAD).</summary>
    public static LabelSpace Native(string corpus, IReadOnlyList<string> nativeLabels)
    {
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < nativeLabels.Count; i++) map[$"{corpus}:{nativeLabels[i]}"] = i;
        return new LabelSpace($"{corpus}-native", nativeLabels.ToArray(), map);
    }

    /// <summary>The native space of a built-in corpus by its reader name (ravdess, crema-d, savee, tess, fer2013).</summary>
    public static LabelSpace NativeOf(string corpus) => corpus switch
    {
        RavdessCorpus.Name => Native(corpus, RavdessName.EmotionNames),
        CremaDCorpus.Name => Native(corpus, CremaDName.Emotions.Keys.Order(StringComparer.Ordinal).ToArray()),
        SaveeCorpus.Name => Native(corpus, ["a", "d", "f", "h", "n", "sa", "su"]),
        TessCorpus.Name => Native(corpus, ["angry", "disgust", "fear", "happy", "neutral", "ps", "sad"]),
        Fer2013Corpus.Name => Native(corpus, Fer2013Corpus.ClassNames),
        _ => throw new ArgumentException($"no built-in native label space for corpus '{corpus}'", nameof(corpus)),
    };

    /// <summary>A custom space from config: label (native, "corpus:native" or unified emotion name) → class name.
    /// Classes are ordered by first appearance in <paramref name="classOrder"/> when given, else by name.</summary>
    public static LabelSpace FromMap(string name, IReadOnlyDictionary<string, string> labelToClass, IReadOnlyList<string>? classOrder = null)
    {
        var classes = (classOrder ?? labelToClass.Values.Distinct().Order(StringComparer.Ordinal).ToList()).ToList();
        foreach (var c in labelToClass.Values)
            if (!classes.Contains(c)) throw new ArgumentException($"label space '{name}': class '{c}' is not in the class order [{string.Join(", ", classes)}]");
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (label, cls) in labelToClass) map[label] = classes.IndexOf(cls);
        return new LabelSpace(name, classes, map);
    }

    private static LabelSpace FromEmotions(string name, (string cls, Emotion[] emotions)[] classes)
    {
        var map = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < classes.Length; i++)
            foreach (var e in classes[i].emotions) map[e.ToString()] = i;
        return new LabelSpace(name, classes.Select(c => c.cls).ToArray(), map);
    }
}
