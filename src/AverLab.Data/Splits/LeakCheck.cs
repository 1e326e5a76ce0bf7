using AverLab.Data.Labels;

namespace AverLab.Data.Splits;

/// <summary>Fails loudly when a split that must be speaker-independent shares a speaker between train and
/// validation/test.</summary>
public static class LeakCheck
{
    /// <summary>The speakers found on the training side and on an evaluation side.</summary>
    public static IReadOnlyList<string> LeakedSpeakers(DataSplit split, IReadOnlyList<LabeledItem> items)
    {
        var speakerOf = items.ToDictionary(i => i.Item.Id, i => i.Item.Speaker, StringComparer.Ordinal);
        var train = split.Train.Select(id => speakerOf.GetValueOrDefault(id)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return split.Validation.Concat(split.Test).Select(id => speakerOf.GetValueOrDefault(id)).OfType<string>()
            .Where(train.Contains).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Throws <see cref="SpeakerLeakException"/> when <see cref="DataSplit.SpeakerIndependent"/> and a speaker leaks.</summary>
    public static void Ensure(DataSplit split, IReadOnlyList<LabeledItem> items)
    {
        if (!split.SpeakerIndependent) return;
        var leaked = LeakedSpeakers(split, items);
        if (leaked.Count > 0) throw new SpeakerLeakException(split.Protocol, leaked);
    }
}
