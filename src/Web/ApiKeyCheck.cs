using System.Security.Cryptography;
using System.Text;

namespace AverLab.Web;

/// <summary>The API key rule: when the server listens beyond loopback (or a key is configured), every request but the
/// sign-in page and the static assets carries the key, in the <c>X-Api-Key</c> header or in the cookie the sign-in
/// page sets. Keys are compared in constant time (SHA-256 of both, then <see cref="CryptographicOperations.FixedTimeEquals"/>,
/// so neither the content nor the length of the expected key leaks through timing).</summary>
public static class ApiKeyCheck
{
    public const string Header = "X-Api-Key";
    public const string Cookie = "averlab_api_key";

    public static bool Matches(string? given, string expected)
    {
        if (given == null) return false;
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    public static void Use(WebApplication app, WebOptions options)
    {
        if (!options.RequiresApiKey) return;
        app.Use(async (ctx, next) =>
        {
            var path = ctx.Request.Path;
            if (path.StartsWithSegments("/login") || path.StartsWithSegments("/static"))
            {
                await next();
                return;
            }
            var given = ctx.Request.Headers[Header].FirstOrDefault() ?? ctx.Request.Cookies[Cookie];
            if (Matches(given, options.ApiKey!))
            {
                await next();
                return;
            }
            if (HttpMethods.IsGet(ctx.Request.Method) && ctx.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
            {
                ctx.Response.Redirect("/login");
                return;
            }
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await ctx.Response.WriteAsJsonAsync(new { error = $"this server needs an API key: send it in the {Header} header" });
        });
    }
}
