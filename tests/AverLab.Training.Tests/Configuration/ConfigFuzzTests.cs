using AverLab.Training.Configuration;
using FsCheck;
using FsCheck.Fluent;
using AverLab.Tests.Support;

namespace AverLab.Training.Tests.Configuration;

/// <summary>FsCheck properties over mutated configs (keys, types, values, YAML syntax) and `--set`
/// arguments. Reading a config either succeeds or throws a <see cref="ConfigException"/> whose message is one line that
/// starts with the file and a line of it (file:line:column, line &gt;= 1) or with the `--set` argument; no other
/// exception escapes. 4 x 2,500 + 1,000 cases, in process.</summary>
public sealed class ConfigFuzzTests
{
    private const string File = "fuzz.yaml";

    private const string Base = """
        name: fuzz
        seed: 7
        data:
          corpus: ravdess
          root: .
          labels: simple5
          include: [neutral, happy]
          split:
            protocol: speaker_holdout
            test_fraction: 0.2
            val_fraction: 0.1
            test_speakers: [01, 02]
        features: {kind: mfcc, sample_rate: 16000, duration: 1.5, n_mfcc: 40, n_fft: 512, hop_length: 160, n_mels: 40, fmax: 8000}
        model:
          name: audio_cnn_transformer
          params: {transformer_layers: 1, heads: 4, conv_branches: 2}
        training:
          epochs: 3
          batch_size: 8
          grad_clip: 1.0
          optimizer: {name: adam_w, lr: 0.001, betas: [0.9, 0.98], weight_decay: 0.01}
          scheduler: {name: multi_step, milestones: [1, 2], gamma: 0.5}
        augmentation:
          audio:
            - {name: awgn, p: 0.5, range: [10, 30]}
          image:
            - {name: hflip, p: 0.5}
        callbacks:
          - {name: early_stopping, monitor: val_acc, mode: max, patience: 5}
          - {name: reduce_lr_on_plateau, monitor: val_loss, factor: 0.5}
        search:
          strategy: asha
          trials: 4
          space:
            training.optimizer.lr: {loguniform: [0.0001, 0.01]}
            model.params.heads: {choice: ["2", "4"]}
        output: {root: experiments}
        """;

    private static readonly string[] Lines = Base.Split('\n');

    private static readonly string[] Values =
    [
        "[1, 2]", "{a: 1}", "abc", "-1", "0", "1e309", "-1e309", ".nan", ".inf", "~", "", "''", "\"x\"", "99999999999999999999",
        "true", "no", "[", "]", "{", "}", "[[]]", "{b: [c, {d: e}]}", "&a x", "*a", "!!binary AAAA", "!custom x", "|\n  block",
        "0x10", "1_000", "- item", ": colon", "3.5", "-0.0", "2147483648", "[01, 02, 99]", "fer2013", "speaker_kfold", "cuda",
    ];

    private const string SyntaxChars = "[]{}:,-#&*!|>'\"%@`\t ?\\\n";

    private static string Word(Random r) => new(Enumerable.Range(0, r.Next(1, 9)).Select(_ => (char)('a' + r.Next(26))).ToArray());

    /// <summary>Lines that hold "key: value" (a key, then the rest).</summary>
    private static (int line, int colon)[] KeyLines() =>
        Lines.Select((l, i) => (i, l.IndexOf(':'))).Where(x => x.Item2 > 0 && !Lines[x.Item1].TrimStart().StartsWith('-')).ToArray();

    private static string MutateKeys(Random r)
    {
        var lines = (string[])Lines.Clone();
        var keys = KeyLines();
        for (var n = r.Next(1, 3); n > 0; n--)
        {
            var i = keys[r.Next(keys.Length)].Item1;
            var colon = lines[i].IndexOf(':'); // of the line as already mutated (the same key can be picked twice)
            var indent = lines[i].Length - lines[i].TrimStart().Length;
            var key = lines[i][indent..colon];
            var newKey = r.Next(4) switch
            {
                0 => key.Length > 1 ? key.Remove(r.Next(key.Length), 1) : Word(r),
                1 => key.Insert(r.Next(key.Length + 1), ((char)('a' + r.Next(26))).ToString()),
                2 => key.ToUpperInvariant(),
                _ => Word(r),
            };
            lines[i] = lines[i][..indent] + newKey + lines[i][colon..];
        }
        return string.Join('\n', lines);
    }

    private static string MutateValues(Random r, bool typesOnly)
    {
        var lines = (string[])Lines.Clone();
        var keys = KeyLines();
        for (var n = r.Next(1, 3); n > 0; n--)
        {
            var (i, colon) = keys[r.Next(keys.Length)];
            string value;
            if (typesOnly) value = Values[r.Next(Values.Length)];
            else
                value = r.Next(5) switch
                {
                    0 => r.Next(-1000000, 1000000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    1 => (r.NextDouble() * Math.Pow(10, r.Next(-10, 12)) * (r.Next(2) == 0 ? -1 : 1)).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                    2 => Word(r),
                    3 => $"[{string.Join(", ", Enumerable.Range(0, r.Next(4)).Select(_ => r.Next(-5, 300)))}]",
                    _ => Values[r.Next(Values.Length)],
                };
            lines[i] = lines[i][..(colon + 1)] + " " + value;
        }
        return string.Join('\n', lines);
    }

    private static string MutateSyntax(Random r)
    {
        var text = Base;
        for (var n = r.Next(1, 4); n > 0; n--)
        {
            var at = r.Next(text.Length + 1);
            text = r.Next(5) switch
            {
                0 or 1 => text.Insert(at, SyntaxChars[r.Next(SyntaxChars.Length)].ToString()),
                2 => at < text.Length ? text.Remove(at, 1) : text,
                3 => text.Insert(at, new string(' ', r.Next(1, 4))),
                _ => text[..Math.Min(at, text.Length)],
            };
        }
        return text;
    }

    /// <summary>True when the config reads, or fails the way a user should see it fail.</summary>
    private static bool ReadsOrFailsCleanly(string text, params string[] sets)
    {
        try
        {
            ConfigLoader.FromText(text, File, sets);
            return true;
        }
        catch (ConfigException e)
        {
            var located = e.Override != null
                ? e.Message.StartsWith("--set ", StringComparison.Ordinal) && sets.Contains(e.Override)
                : e.Message.StartsWith(File + ":", StringComparison.Ordinal) && e.Line >= 1;
            return located && !e.Message.Contains('\n') && e.Problem.Length > 0
                ? true : throw new Xunit.Sdk.XunitException($"badly located or multi-line: {e.Message}\n--- config ---\n{text}");
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{e.GetType().Name} escaped: {e.Message}\n--- config ---\n{text}\n--- sets: {string.Join(" ", sets)}");
        }
    }

    private static void Check(Func<Random, string> mutate, int cases) =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), s => ReadsOrFailsCleanly(mutate(new Random(s))))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(FuzzScale.Cases(cases)));

    [Fact]
    public void TheBaseConfigReads() => Assert.True(ReadsOrFailsCleanly(Base) && ConfigLoader.FromText(Base, File).Config.Search != null);

    [Fact]
    [Trait("Category", Category.Fuzz)]
    public void MutatedKeys() => Check(MutateKeys, 2500);

    [Fact]
    [Trait("Category", Category.Fuzz)]
    public void MutatedTypes() => Check(r => MutateValues(r, typesOnly: true), 2500);

    [Fact]
    [Trait("Category", Category.Fuzz)]
    public void MutatedValues() => Check(r => MutateValues(r, typesOnly: false), 2500);

    [Fact]
    [Trait("Category", Category.Fuzz)]
    public void MutatedSyntax() => Check(MutateSyntax, 2500);

    [Fact]
    [Trait("Category", Category.Fuzz)]
    public void MutatedSetArguments()
    {
        var keys = BindableKeys(typeof(ExperimentConfig), "").ToArray();
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), s =>
        {
            var r = new Random(s);
            var key = r.Next(6) == 0 ? Word(r) + "." + Word(r) : keys[r.Next(keys.Length)];
            var value = r.Next(2) == 0 ? Values[r.Next(Values.Length)] : Word(r);
            var set = r.Next(10) == 0 ? key + value : $"{key}={value}";
            return ReadsOrFailsCleanly(Base, set);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(FuzzScale.Cases(1000)));
    }

    private static IEnumerable<string> BindableKeys(Type type, string prefix)
    {
        foreach (var (key, p) in ConfigBinder.BindableProperties(type))
        {
            var path = prefix + key;
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (t.IsClass && t != typeof(string) && !t.IsGenericType && !t.IsArray && t.Namespace == typeof(ExperimentConfig).Namespace)
                foreach (var k in BindableKeys(t, path + ".")) yield return k;
            else yield return path;
        }
    }
}
