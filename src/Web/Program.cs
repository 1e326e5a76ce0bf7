using AverLab.Web;

// averlab-web: `dotnet run --project src/Web [-- --experiments DIR --data DIR --urls URL ...]` (README "Web application").
try
{
    var app = WebApp.Build(args);
    app.Run();
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

/// <summary>The entry point (public so the tests' WebApplicationFactory can start the app).</summary>
public partial class Program;
