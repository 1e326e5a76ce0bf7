using System.Numerics;

namespace AverLab.Media.Faces;

/// <summary>dlib's shape predictor (Kazemi and Sullivan's ensemble of regression trees, dlib/image_processing/
/// shape_predictor.h, dlib 19.x) in C#: reads the model file dlib serializes (shape_predictor_68_face_landmarks.dat)
/// and predicts the same points dlib does. Immutable once loaded, so one instance serves every thread.
///
/// <para>Prediction follows dlib step by step and in the same floating-point types: each cascade maps its
/// reference pixels through the similarity transform from the mean shape to the current shape (float), then
/// through the face box (double), rounds to the nearest pixel, samples the gray image (0 outside), walks each
/// tree on pixel differences and adds the leaf's shape update (float). dlib's 2x2 similarity uses an SVD
/// (Umeyama); for two dimensions that solution has the closed form used here, equal up to the last bits of a
/// double before it is rounded to float.</para></summary>
internal sealed class DlibShapePredictor
{
    private readonly float[] _initialShape;       // 2 * parts, (x, y) interleaved, in box-normalized units
    private readonly Cascade[] _cascades;

    private sealed class Cascade
    {
        public required int[] Anchor;              // per feature pixel: the shape point it is relative to
        public required float[] Deltas;            // per feature pixel: (dx, dy) from that point, mean-shape units
        public required int[] SplitOffset;         // per tree: first split in the split arrays
        public required int[] SplitCount;          // per tree: number of splits (leaves = splits + 1)
        public required int[] LeafOffset;          // per tree: first leaf's first value in Leaves
        public required int[] Idx1;
        public required int[] Idx2;
        public required float[] Thresh;
        public required float[] Leaves;            // leaf shape updates, 2 * parts floats each
    }

    private DlibShapePredictor(float[] initialShape, Cascade[] cascades)
    {
        _initialShape = initialShape;
        _cascades = cascades;
    }

    public int PartCount => _initialShape.Length / 2;

    /// <summary>The model's mean shape (its initial shape), x, y interleaved, in face-box units: (0, 0) is the box's
    /// top-left corner and (1, 1) its bottom-right.</summary>
    public ReadOnlySpan<float> MeanShape => _initialShape;

    /// <summary>Reads a model serialized by dlib (serialize(shape_predictor) — what dlib.shape_predictor loads).
    /// Throws <see cref="MediaFormatException"/> naming the file when it is not one.</summary>
    public static DlibShapePredictor Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MediaFormatException(path, "landmark model not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MediaFormatException(path, $"cannot read the landmark model ({e.Message})", e);
        }
        if (bytes.Length >= 4 && bytes[0] == 'B' && bytes[1] == 'Z' && bytes[2] == 'h')
            throw new MediaFormatException(path, "not a dlib shape predictor: the file is bzip2-compressed (decompress it first)");
        try
        {
            return Parse(new DlibReader(bytes));
        }
        catch (FormatException e)
        {
            throw new MediaFormatException(path, "not a dlib shape predictor model: " + e.Message, e);
        }
    }

    private static DlibShapePredictor Parse(DlibReader r)
    {
        var version = r.Int();
        if (version != 1) throw new FormatException($"expected dlib shape_predictor version 1, found {version}");
        var initial = r.FloatColumn();
        if (initial.Length == 0 || initial.Length % 2 != 0)
            throw new FormatException($"the mean shape has {initial.Length} values (needs an even, positive count)");
        var n = initial.Length;
        var forestCount = r.Count(1 << 16, "cascades");
        var forests = new (List<(int[] Idx1, int[] Idx2, float[] Thresh)> Splits, List<float[]> Leaves)[forestCount];
        for (var f = 0; f < forestCount; f++)
        {
            var treeCount = r.Count(1 << 20, "trees");
            var splits = new List<(int[], int[], float[])>(treeCount);
            var leaves = new List<float[]>(treeCount);
            for (var t = 0; t < treeCount; t++)
            {
                var s = r.Count(1 << 20, "splits");
                var idx1 = new int[s];
                var idx2 = new int[s];
                var thresh = new float[s];
                for (var i = 0; i < s; i++)
                {
                    idx1[i] = r.Index();
                    idx2[i] = r.Index();
                    thresh[i] = r.Float();
                }
                var leafCount = r.Count(1 << 21, "leaves");
                if (leafCount != s + 1) throw new FormatException($"a tree has {s} splits but {leafCount} leaves (needs splits + 1)");
                var values = new float[leafCount * n];
                for (var l = 0; l < leafCount; l++) r.FloatColumn(values.AsSpan(l * n, n));
                splits.Add((idx1, idx2, thresh));
                leaves.Add(values);
            }
            forests[f] = (splits, leaves);
        }
        var anchorCount = r.Count(1 << 16, "anchor lists");
        if (anchorCount != forestCount) throw new FormatException($"{forestCount} cascades but {anchorCount} anchor lists");
        var anchors = new int[anchorCount][];
        for (var f = 0; f < anchorCount; f++)
        {
            var a = anchors[f] = new int[r.Count(1 << 24, "anchors")];
            for (var i = 0; i < a.Length; i++)
                if ((a[i] = r.Index()) >= n / 2) throw new FormatException($"anchor {a[i]} is not one of the {n / 2} parts");
        }
        var deltaCount = r.Count(1 << 16, "delta lists");
        if (deltaCount != forestCount) throw new FormatException($"{forestCount} cascades but {deltaCount} delta lists");
        var cascades = new Cascade[forestCount];
        for (var f = 0; f < forestCount; f++)
        {
            var pixels = r.Count(1 << 24, "deltas");
            if (pixels != anchors[f].Length) throw new FormatException($"cascade {f} has {anchors[f].Length} anchors but {pixels} deltas");
            var d = new float[2 * pixels];
            for (var i = 0; i < d.Length; i++) d[i] = r.Float();
            var (splits, leaves) = forests[f];
            var trees = splits.Count;
            var leafTotal = leaves.Sum(l => (long)l.Length);
            if (leafTotal > Array.MaxLength) throw new FormatException($"cascade {f} is too large");
            var c = new Cascade
            {
                Anchor = anchors[f],
                Deltas = d,
                SplitOffset = new int[trees],
                SplitCount = new int[trees],
                LeafOffset = new int[trees],
                Idx1 = new int[splits.Sum(s => s.Idx1.Length)],
                Idx2 = new int[splits.Sum(s => s.Idx1.Length)],
                Thresh = new float[splits.Sum(s => s.Idx1.Length)],
                Leaves = new float[leafTotal],
            };
            int so = 0, lo = 0;
            for (var t = 0; t < trees; t++)
            {
                var (i1, i2, th) = splits[t];
                if (i1.Length > 0 && (i1.Max() >= pixels || i2.Max() >= pixels))
                    throw new FormatException($"a split in cascade {f} reads a feature pixel beyond its {pixels}");
                c.SplitOffset[t] = so;
                c.SplitCount[t] = i1.Length;
                c.LeafOffset[t] = lo;
                i1.CopyTo(c.Idx1, so);
                i2.CopyTo(c.Idx2, so);
                th.CopyTo(c.Thresh, so);
                leaves[t].CopyTo(c.Leaves, lo);
                so += i1.Length;
                lo += leaves[t].Length;
            }
            cascades[f] = c;
        }
        if (!r.AtEnd) throw new FormatException("unexpected bytes after the model");
        return new DlibShapePredictor(initial, cascades);
    }

    /// <summary>The parts (x, y interleaved, whole pixels as dlib's point) of the object in the box
    /// (<paramref name="left"/>, <paramref name="top"/>, <paramref name="width"/> x <paramref name="height"/>)
    /// of a gray image with rows of <paramref name="imageWidth"/> bytes.</summary>
    public float[] Predict(ReadOnlySpan<byte> gray, int imageWidth, int imageHeight, int left, int top, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"face box must have a positive size, got {width}x{height}");
        if (gray.Length != (long)imageWidth * imageHeight) throw new ArgumentException("image buffer does not match its size", nameof(gray));
        var n = _initialShape.Length;
        var shape = (float[])_initialShape.Clone();
        // unnormalizing_tform(rect): (0,0) -> top-left, (1,1) -> bottom-right corner (dlib's right = left + width - 1).
        double sx = width - 1, sy = height - 1, ox = left, oy = top;
        float[] features = [];
        foreach (var c in _cascades)
        {
            var pixels = c.Anchor.Length;
            if (features.Length != pixels) features = new float[pixels];
            var (m00, m01, m10, m11) = Similarity(_initialShape, shape);
            for (var i = 0; i < pixels; i++)
            {
                float dx = c.Deltas[2 * i], dy = c.Deltas[2 * i + 1];
                var a = c.Anchor[i];
                var u = m00 * dx + m01 * dy + shape[2 * a];
                var v = m10 * dx + m11 * dy + shape[2 * a + 1];
                var px = (long)Math.Floor(sx * u + ox + 0.5);
                var py = (long)Math.Floor(sy * v + oy + 0.5);
                features[i] = px >= 0 && px < imageWidth && py >= 0 && py < imageHeight ? gray[(int)(py * imageWidth + px)] : 0f;
            }
            for (var t = 0; t < c.SplitOffset.Length; t++)
            {
                var splits = c.SplitCount[t];
                var so = c.SplitOffset[t];
                var node = 0;
                while (node < splits)
                    node = features[c.Idx1[so + node]] - features[c.Idx2[so + node]] > c.Thresh[so + node] ? 2 * node + 1 : 2 * node + 2;
                Add(shape, c.Leaves.AsSpan(c.LeafOffset[t] + (node - splits) * n, n));
            }
        }
        var points = new float[n];
        for (var i = 0; i < n; i += 2)
        {
            points[i] = (float)Math.Floor(sx * shape[i] + ox + 0.5);
            points[i + 1] = (float)Math.Floor(sy * shape[i + 1] + oy + 0.5);
        }
        return points;
    }

    // shape += leaf, element by element (the same float additions dlib makes, in the same order per element).
    private static void Add(float[] shape, ReadOnlySpan<float> leaf)
    {
        var s = shape.AsSpan();
        var i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= s.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(s[i..]) + new Vector<float>(leaf[i..])).CopyTo(s[i..]);
        for (; i < s.Length; i++) s[i] += leaf[i];
    }

    /// <summary>The 2x2 part of dlib's find_similarity_transform(from, to) (Umeyama's least squares, in double),
    /// rounded to float as dlib's matrix_cast&lt;float&gt;. In two dimensions the optimal c*R is
    /// [[p, -q], [q, p]] / sigma_from with p = cov00 + cov11 and q = cov10 - cov01.</summary>
    private static (float M00, float M01, float M10, float M11) Similarity(float[] from, float[] to)
    {
        var count = from.Length / 2;
        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (var i = 0; i < from.Length; i += 2)
        {
            fx += from[i];
            fy += from[i + 1];
            tx += to[i];
            ty += to[i + 1];
        }
        fx /= count; fy /= count; tx /= count; ty /= count;
        double sigma = 0, c00 = 0, c01 = 0, c10 = 0, c11 = 0;
        for (var i = 0; i < from.Length; i += 2)
        {
            double ax = from[i] - fx, ay = from[i + 1] - fy, bx = to[i] - tx, by = to[i + 1] - ty;
            sigma += ax * ax + ay * ay;
            c00 += bx * ax;
            c01 += bx * ay;
            c10 += by * ax;
            c11 += by * ay;
        }
        sigma /= count;
        c00 /= count; c01 /= count; c10 /= count; c11 /= count;
        if (sigma == 0) return (1, 0, 0, 1);
        double p = (c00 + c11) / sigma, q = (c10 - c01) / sigma;
        return ((float)p, (float)-q, (float)q, (float)p);
    }

    /// <summary>dlib's serialization primitives (dlib/serialize.h): integers as a control byte (low 4 bits: byte
    /// count, 0x80: negative) and that many little-endian bytes; floats as an integer mantissa and exponent
    /// (dlib/float_details.h); a matrix as -rows, -cols and its values; a std::vector as its size and items.</summary>
    private sealed class DlibReader(byte[] bytes)
    {
        private int _pos;

        public bool AtEnd => _pos == bytes.Length;

        private byte Next() =>
            _pos < bytes.Length ? bytes[_pos++] : throw new FormatException($"the file ends early (at byte {_pos})");

        private ulong Magnitude(int size, int max, string what)
        {
            if (size == 0 || size > max) throw new FormatException($"bad {what} at byte {_pos - 1} (control byte size {size})");
            if (_pos + size > bytes.Length) throw new FormatException($"the file ends early (at byte {_pos})");
            ulong v = 0;
            for (var i = size - 1; i >= 0; i--) v = (v << 8) | bytes[_pos + i];
            _pos += size;
            return v;
        }

        public long Signed(int maxBytes)
        {
            var control = Next();
            var v = (long)Magnitude(control & 0x0F, maxBytes, "integer");
            return (control & 0x80) != 0 ? -v : v;
        }

        public ulong Unsigned()
        {
            var control = Next();
            return Magnitude(control & 0x8F, 8, "unsigned integer");
        }

        public int Int() => (int)Signed(4);

        /// <summary>A non-negative index (unsigned long) that fits an int.</summary>
        public int Index()
        {
            var v = Unsigned();
            return v <= int.MaxValue ? (int)v : throw new FormatException($"index {v} is out of range");
        }

        public int Count(int max, string what)
        {
            var v = Unsigned();
            return v <= (ulong)max ? (int)v : throw new FormatException($"{v} {what} is implausible (at most {max})");
        }

        public float Float()
        {
            if (_pos < bytes.Length && (bytes[_pos] & 0x70) != 0)
                throw new FormatException($"a number at byte {_pos} uses dlib's old text format, which is not supported");
            var mantissa = Signed(8);
            var exponent = (short)Signed(2);
            return exponent switch
            {
                32000 => float.PositiveInfinity,
                32001 => float.NegativeInfinity,
                32002 => float.NaN,
                _ => MathF.ScaleB(mantissa, exponent),
            };
        }

        private (long Rows, long Cols) MatrixSize()
        {
            long rows = Signed(8), cols = Signed(8);
            if (rows < 0 || cols < 0) { rows = -rows; cols = -cols; }
            if (cols != 1) throw new FormatException($"expected a column vector, found a {rows}x{cols} matrix");
            return (rows, cols);
        }

        public float[] FloatColumn()
        {
            var (rows, _) = MatrixSize();
            if (rows > 1 << 20) throw new FormatException($"a {rows}-row vector is implausible");
            var v = new float[rows];
            for (var i = 0; i < v.Length; i++) v[i] = Float();
            return v;
        }

        public void FloatColumn(Span<float> into)
        {
            var (rows, _) = MatrixSize();
            if (rows != into.Length) throw new FormatException($"a leaf has {rows} values, the shape has {into.Length}");
            for (var i = 0; i < into.Length; i++) into[i] = Float();
        }
    }
}
