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
        var skinRgb = new Rgb(Math.Min(1, skin * 1.10 + 0.08), skin * 0.85 + 0.04, skin * 0.70);
        var noseRgb = new Rgb(skinRgb.R * 0.7, skinRgb.G * 0.7, skinRgb.B * 0.7);
        var bgBase = 0.15 + 0.25 * r.NextDouble();
        var outBytes = new byte[width * height * (rgb ? 3 : 1)];
        var cos = Math.Cos(pose.Roll);
        var sin = Math.Sin(pose.Roll);
        var eyeDx = 0.14 * actor.EyeSpacing;
        const double ey = -0.07;
        var eyeH = 0.035 * cue.EyeOpen;
        const double my = 0.2;
        var hw = 0.12 * cue.MouthWidth;
        var p = px / pose.Scale;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                // Face coordinates: origin at head centre, unit = image size / scale, y down.
                var dx = ((x + 0.5) / size - pose.CenterX * width / size) / pose.Scale;
                var dy = ((y + 0.5) / size - pose.CenterY * height / size) / pose.Scale;
                var fx = cos * dx + sin * dy;
                var fy = -sin * dx + cos * dy;
                var shade = bgBase + 0.1 * y / height;
                var c = new Rgb(shade, shade, shade + 0.02 * y / height);
                c.Mix(skinRgb, Cover(Ellipse(fx, fy, 0, 0.02, 0.33 * actor.FaceWidth, 0.42), p));
                for (var side = -1; side <= 1; side += 2)
                {
                    var ex = side * eyeDx;
                    if (Math.Abs(fx - ex) < 0.15 && fy > ey - 0.16 && fy < ey + 0.08)
                    {
                        var white = Cover(Ellipse(fx, fy, ex, ey, 0.065, eyeH), p);
                        c.Mix(EyeWhite, white);
                        c.Mix(Pupil, Cover(Ellipse(fx, fy, ex, ey, 0.028, Math.Min(0.028, eyeH)), p) * white);
                        // Brow: a thick segment above the eye; its inner end moves with BrowAngle.
                        var browY = ey - 0.075 - 0.03 * cue.BrowRaise;
                        c.Mix(Brow, Cover(Segment(fx, fy, ex - side * 0.055, browY - 0.03 * cue.BrowAngle, ex + side * 0.065, browY + 0.01 * cue.BrowAngle) - 0.013, p));
                    }
                }
                // Nose: a faint shadow.
                c.Mix(noseRgb, 0.6 * Cover(Ellipse(fx, fy, 0, 0.06, 0.025, 0.05), p));
                // Mouth: lip line y(u) = my - curve·hw·u², gap opens downward by open·(1-u²).
                var u = fx / hw;
                if (Math.Abs(u) <= 1.15 && Math.Abs(fy - my) < 0.25)
                {
                    var uc = Math.Clamp(u, -1, 1);
                    var upper = my - cue.MouthCurve * hw * uc * uc;
                    var gap = cue.MouthOpen * 2 * hw * (1 - uc * uc);
                    var edge = Cover((Math.Abs(u) - 1) * hw, p);
                    var inside = Math.Min(Cover(upper - fy, p), Cover(fy - (upper + gap), p)) * edge;
                    var lipU = Cover(Math.Abs(fy - upper) - 0.012, p) * edge;
                    var lipL = Cover(Math.Abs(fy - (upper + gap)) - 0.012, p) * edge;
                    c.Mix(Lip, Math.Max(lipU, lipL));
                    if (gap > 0.004) c.Mix(MouthInside, inside);
                }
                var o = (y * width + x) * (rgb ? 3 : 1);
                if (rgb)
                {
                    outBytes[o] = ToByte(c.R * 255 + noise * r.Noise());
                    outBytes[o + 1] = ToByte(c.G * 255 + noise * r.Noise());
                    outBytes[o + 2] = ToByte(c.B * 255 + noise * r.Noise());
                }
                else
                    outBytes[o] = ToByte((0.299 * c.R + 0.587 * c.G + 0.114 * c.B) * 255 + noise * r.Noise());
            }
        return outBytes;
    }

    private static readonly Rgb EyeWhite = new(0.95, 0.95, 0.95);
    private static readonly Rgb Pupil = new(0.08, 0.06, 0.05);
    private static readonly Rgb Brow = new(0.18, 0.12, 0.08);
    private static readonly Rgb Lip = new(0.7, 0.25, 0.25);
    private static readonly Rgb MouthInside = new(0.1, 0.03, 0.03);

    private struct Rgb(double r, double g, double b)
    {
        public double R = r, G = g, B = b;

        public void Mix(Rgb with, double a)
        {
            if (a <= 0) return;
            R += (with.R - R) * a;
            G += (with.G - G) * a;
            B += (with.B - B) * a;
        }
    }

    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

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
