namespace AverLab.Data.Synthetic;

/// <summary>A small source-filter voice: a jittered glottal pulse train (F0 level, drift, rise-fall, tremor) plus
/// aspiration noise, a two-pole glottal low-pass (spectral tilt), three formant resonators per syllable vowel, a
/// syllable envelope at the given speaking rate, level set on voiced RMS, and a faint noise floor.</summary>
public static class VoiceSynth
{
    // (F1, F2, F3) of five vowels, cycled through the syllables of a statement.
    private static readonly (double f1, double f2, double f3)[] Vowels =
        [(730, 1090, 2440), (270, 2290, 3010), (530, 1840, 2480), (570, 840, 2410), (300, 870, 2240), (660, 1720, 2410)];

    /// <summary>The syllable envelope of an utterance, also used to animate the synthetic face's mouth.</summary>
    public sealed record Utterance(float[] Samples, int SampleRate, float[] Envelope);

    public static Utterance Synthesize(SyntheticActor actor, VoiceCue cue, int statement, int sampleRate, Random r)
    {
        const int syllables = 7; // "Kids are talking by the door" / "Dogs are sitting by the door"
        var rate = cue.Rate * (1 + 0.06 * r.Gaussian());
        var lead = 0.25 + 0.05 * r.NextDouble();
        var trail = 0.25 + 0.05 * r.NextDouble();
        var sylDur = new double[syllables];
        for (var i = 0; i < syllables; i++) sylDur[i] = Math.Max(0.08, 1 / rate * (1 + 0.12 * r.Gaussian()));
        var speech = sylDur.Sum();
        var n = (int)((lead + speech + trail) * sampleRate);
        var env = new float[n];
        var vowelOf = new int[n];
        var stress = Enumerable.Range(0, syllables).Select(_ => 0.7 + 0.3 * r.NextDouble()).ToArray();
        var t0 = lead;
        for (var s = 0; s < syllables; s++)
        {
            var start = (int)(t0 * sampleRate);
            var voiced = (int)(sylDur[s] * 0.78 * sampleRate);
            for (var i = 0; i < voiced && start + i < n; i++)
            {
                var u = (double)i / voiced;
                env[start + i] = (float)(stress[s] * Math.Pow(Math.Sin(Math.PI * u), 0.6));
            }
            for (var i = 0; i < (int)(sylDur[s] * sampleRate) && start + i < n; i++) vowelOf[start + i] = (s + statement * 2) % Vowels.Length;
            t0 += sylDur[s];
        }

        var f0Base = actor.F0Base * cue.F0Scale * (1 + 0.04 * r.Gaussian());
        var tilt = Math.Clamp(cue.Tilt + actor.TiltOffset + 0.02 * r.Gaussian(), 0.3, 0.97);
        var breath = Math.Max(0, cue.Breath * (1 + 0.15 * r.Gaussian()));
        var source = new double[n];
        double phase = 1, period = 1;
        for (var i = 0; i < n; i++)
        {
            var u = Math.Clamp((i / (double)sampleRate - lead) / speech, 0, 1);
            var f0 = f0Base * Math.Pow(2, cue.F0Slope * (u - 0.5)) * Math.Pow(2, cue.F0Bump * Math.Sin(Math.PI * u) / 12)
                     * (1 + cue.Tremor * Math.Sin(2 * Math.PI * 6 * i / sampleRate));
            phase += 1.0 / (sampleRate / f0 * period);
            if (phase >= 1)
            {
                phase -= 1;
                period = 1 + cue.Jitter * r.Gaussian();
                source[i] = 1 + 0.05 * r.Gaussian();
            }
        }
        // Glottal low-pass twice (tilt), then aspiration noise, then the vocal tract.
        double y1 = 0, y2 = 0;
        for (var i = 0; i < n; i++)
        {
            y1 = (1 - tilt) * source[i] + tilt * y1;
            y2 = (1 - tilt) * y1 + tilt * y2;
            source[i] = y2 * 20 + breath * 0.35 * r.Noise();
        }
        var voicedSignal = new double[n];
        var state = new double[6];
        var currentVowel = -1;
        var coef = new (double b0, double a1, double a2)[3];
        for (var i = 0; i < n; i++)
        {
            if (vowelOf[i] != currentVowel)
            {
                currentVowel = vowelOf[i];
                var v = Vowels[currentVowel];
                double[] f = [v.f1 * cue.F1Scale, v.f2 * cue.F2Scale, v.f3];
                double[] bw = [90, 110, 150];
                for (var k = 0; k < 3; k++)
                {
                    var fk = Math.Min(f[k] * actor.FormantScale, 0.45 * sampleRate);
                    var rr = Math.Exp(-Math.PI * bw[k] / sampleRate);
                    coef[k] = (1 - rr, 2 * rr * Math.Cos(2 * Math.PI * fk / sampleRate), -rr * rr);
                }
            }
            var x = source[i] * env[i];
            for (var k = 0; k < 3; k++)
            {
                var y = coef[k].b0 * x + coef[k].a1 * state[2 * k] + coef[k].a2 * state[2 * k + 1];
                state[2 * k + 1] = state[2 * k];
                state[2 * k] = y;
                x = y;
            }
            voicedSignal[i] = x;
        }
        // Level: voiced RMS at the cue's gain (plus actor and token variation), so energy is a controlled cue.
        double sum = 0; var count = 0;
        for (var i = 0; i < n; i++)
            if (env[i] > 0.3) { sum += voicedSignal[i] * voicedSignal[i]; count++; }
        var rms = Math.Sqrt(sum / Math.Max(1, count));
        var gain = 0.06 * Math.Pow(10, (cue.GainDb + actor.GainDb + 1.0 * r.Gaussian()) / 20) / Math.Max(rms, 1e-12);
        var noise = 0.0008 * (1 + 0.3 * r.NextDouble());
        var samples = new float[n];
        var peak = 0.0;
        for (var i = 0; i < n; i++)
        {
            var v = voicedSignal[i] * gain + noise * r.Noise();
            samples[i] = (float)v;
            peak = Math.Max(peak, Math.Abs(v));
        }
        if (peak > 0.98)
            for (var i = 0; i < n; i++) samples[i] = (float)(samples[i] * 0.98 / peak);
        return new Utterance(samples, sampleRate, env);
    }
}
