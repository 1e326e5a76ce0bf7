using System.Text;
using AverLab.Data.Corpora;
using AverLab.Data.Labels;
using AverLab.Data.Splits;

namespace AverLab.Training.Experiments;

/// <summary>A config's corpus as read, labelled and split, before any feature is computed (<see
/// cref="ExperimentData.ReadAndSplit"/>): what --dry-run prints and what the run then trains on.</summary>
public sealed record CorpusPlan(CorpusReadResult Read, LabelSpace Labels, LabelMapping Mapping, DataSplit Split)
{
    /// <summary>Items per class on each side of the split (train, validation, test), in class order.</summary>
    public IReadOnlyList<(string Side, int[] PerClass)> Counts()
    {
        var labelOf = Mapping.Items.ToDictionary(i => i.Item.Id, i => i.Label, StringComparer.Ordinal);
        int[] Count(IEnumerable<string> ids)
        {
            var counts = new int[Labels.Count];
            foreach (var id in ids) counts[labelOf[id]]++;
            return counts;
        }
        return [("train", Count(Split.Train)), ("validation", Count(Split.Validation)), ("test", Count(Split.Test))];
    }

    /// <summary>A table: one row per side, one column per class, plus totals and what the reader skipped.</summary>
    public string Describe()
    {
        var counts = Counts();
        var width = Math.Max(10, Labels.Classes.Max(c => c.Length) + 1);
        var sb = new StringBuilder();
        sb.Append($"split {Split.Protocol} (speaker independent: {Split.SpeakerIndependent.ToString().ToLowerInvariant()}): ");
        sb.AppendLine(string.Join(", ", counts.Select(c => $"{c.Side} {c.PerClass.Sum()}")));
        sb.Append("".PadRight(12)).AppendJoin("", Labels.Classes.Select(c => c.PadLeft(width))).AppendLine("total".PadLeft(8));
        foreach (var (side, perClass) in counts)
            sb.Append(side.PadRight(12)).AppendJoin("", perClass.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width)))
              .AppendLine(perClass.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(8));
        sb.Append($"skipped by the reader: {Read.Report.Skipped.Count}; dropped by the label space: {Mapping.Dropped.Values.Sum()}");
        return sb.ToString();
    }
}
