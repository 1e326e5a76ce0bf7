namespace AverLab.Data.Synthetic;

/// <summary>Draws a cartoon face (skin ellipse, eyes with pupils, brows, mouth with lips and an open gap) with
/// anti-aliased edges (coverage from signed distances), into grayscale or RGB bytes.</summary>
public static class FaceRenderer
{
    /// <summary>Where and how big the head is: centre and scale relative to the image (1 = nominal), plus a roll angle.</summary>
    public readonly record struct Pose(double CenterX, double CenterY, double Scale, double Roll);

    public static Pose RandomPose(Random r, double jitter) =>
        new(0.5 + jitter * 0.04 * r.Gaussian(), 0.5 + jitter * 0.04 * r.Gaussian(), 1 + jitter * 0.05 * r.Gaussian(), jitter * 0.05 * r.Gaussian());

    /// <summary>Renders one face; returns width·height bytes (grayscale) or width·height·3 (RGB, row-major).</summary>
    public static byte[] Render(SyntheticActor actor, FaceCue cue, Pose pose, int width, int height, bool rgb, Random r, double noise = 6)
    {
        var size = Math.Min(width, height);
        var px = 1.0 / size; // one pixel in face units
        var skin = actor.SkinTone;
        double[] skinRgb = [Math.Min(1, skin * 1.10 + 0.08), skin * 0.85 + 0.04, skin * 0.70];
        var bgBase = 0.15 + 0.25 * r.NextDouble();
        var outBytes = new byte[width * height * (rgb ? 3 : 1)];
        var cos = Math.Cos(pose.Roll);
        var sin = Math.Sin(pose.Roll);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                // Face coordinates: origin at head centre, unit = image size / scale, y down.
                var dx = ((x + 0.5) / size - pose.CenterX * width / size) / pose.Scale;
                var dy = ((y + 0.5) / size - pose.CenterY * height / size) / pose.Scale;
                var fx = cos * dx + sin * dy;
                var fy = -sin * dx + cos * dy;
                var p = px / pose.Scale;
                double[] c = [bgBase + 0.1 * y / height, bgBase + 0.1 * y / height, bgBase + 0.12 * y / height];
                var face = Cover(Ellipse(fx, fy, 0, 0.02, 0.33 * actor.FaceWidth, 0.42), p);
                Mix(c, skinRgb, face);
                var eyeDx = 0.14 * actor.EyeSpacing;
                foreach (var side in new[] { -1.0, 1.0 })
                {
                    var ex = side * eyeDx;
                    const double ey = -0.07;
                    var eyeH = 0.035 * cue.EyeOpen;
                    var white = Cover(Ellipse(fx, fy, ex, ey, 0.065, eyeH), p);
                    Mix(c, [0.95, 0.95, 0.95], white);
                    var pupil = Cover(Ellipse(fx, fy, ex, ey, 0.028, Math.Min(0.028, eyeH)), p) * white;
                    Mix(c, [0.08, 0.06, 0.05], pupil);
                    // Brow: a thick segment above the eye; its inner end moves with BrowAngle.
                    var browY = ey - 0.075 - 0.03 * cue.BrowRaise;
                    var inner = (x: ex - side * 0.055, y: browY - 0.03 * cue.BrowAngle);
                    var outer = (x: ex + side * 0.065, y: browY + 0.01 * cue.BrowAngle);
                    var brow = Cover(Segment(fx, fy, inner.x, inner.y, outer.x, outer.y) - 0.013, p);
                    Mix(c, [0.18, 0.12, 0.08], brow);
                }
                // Nose: a faint shadow.
                Mix(c, [skinRgb[0] * 0.7, skinRgb[1] * 0.7, skinRgb[2] * 0.7], 0.6 * Cover(Ellipse(fx, fy, 0, 0.06, 0.025, 0.05), p));
                // Mouth: lip line y(u) = my - curve·hw·u², gap opens downward by open·(1-u²).
                const double my = 0.2;
                var hw = 0.12 * cue.MouthWidth;
                var u = fx / hw;
                if (Math.Abs(u) <= 1.15)
                {
                    var uc = Math.Clamp(u, -1, 1);
                    var upper = my - cue.MouthCurve * hw * uc * uc;
                    var gap = cue.MouthOpen * 2 * hw * (1 - uc * uc);
                    var edge = Cover((Math.Abs(u) - 1) * hw, p);
                    var inside = Math.Min(Cover(upper - fy, p), Cover(fy - (upper + gap), p)) * edge;
                    var lipU = Cover(Math.Abs(fy - upper) - 0.012, p) * edge;
                    var lipL = Cover(Math.Abs(fy - (upper + gap)) - 0.012, p) * edge;
                    Mix(c, [0.7, 0.25, 0.25], Math.Max(lipU, lipL));
                    Mix(c, [0.1, 0.03, 0.03], gap > 0.004 ? inside : 0);
                }
                var o = (y * width + x) * (rgb ? 3 : 1);
                if (rgb)
                    for (var k = 0; k < 3; k++) outBytes[o + k] = ToByte(c[k] * 255 + noise * r.Gaussian());
                else
                    outBytes[o] = ToByte((0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) * 255 + noise * r.Gaussian());
            }
        return outBytes;
    }

    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private static void Mix(double[] c, double[] with, double a)
    {
        if (a <= 0) return;
        for (var k = 0; k < 3; k++) c[k] += (with[k] - c[k]) * a;
    }

    /// <summary>Coverage of a pixel by a shape from its signed distance (negative inside), ~1 pixel soft edge.</summary>
    private static double Cover(double signedDistance, double pixel) => Math.Clamp(0.5 - signedDistance / pixel, 0, 1);

    /// <summary>Approximate signed distance to an axis-aligned ellipse.</summary>
    private static double Ellipse(double x, double y, double cx, double cy, double rx, double ry)
    {
        var nx = (x - cx) / rx;
        var ny = (y - cy) / ry;
        var k = Math.Sqrt(nx * nx + ny * ny);
        return (k - 1) * Math.Min(rx, ry);
    }

    private static double Segment(double x, double y, double ax, double ay, double bx, double by)
    {
        var vx = bx - ax;
        var vy = by - ay;
        var t = Math.Clamp(((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy), 0, 1);
        var qx = ax + t * vx - x;
        var qy = ay + t * vy - y;
        return Math.Sqrt(qx * qx + qy * qy);
    }
}
