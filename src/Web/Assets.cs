using System.Reflection;

namespace AverLab.Web;

/// <summary>The stylesheet and the script (src/Web/static/, embedded in the assembly), served by the app itself: no
/// CDN, no build step, and no inline script or style anywhere, so the Content-Security-Policy can forbid both.</summary>
public static class Assets
{
    public static readonly string Css = Read("app.css");
    public static readonly string Js = Read("app.js");

    public static void Map(WebApplication app)
    {
        app.MapGet("/static/app.css", () => Results.Text(Css, "text/css; charset=utf-8"));
        app.MapGet("/static/app.js", () => Results.Text(Js, "text/javascript; charset=utf-8"));
    }

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"AverLab.Web.static.{name}")
                           ?? throw new InvalidOperationException($"the build did not embed static/{name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
