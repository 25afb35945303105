using System.Reflection;

namespace AmiShare.Sandbox;

/// <summary>Finds the repository (the folder holding AmiShareModule.sln) from wherever the program runs.</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                var dir = new DirectoryInfo(start);
                while (dir != null)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "AmiShareModule.sln")))
                    {
                        return dir.FullName;
                    }

                    dir = dir.Parent;
                }
            }

            throw new DirectoryNotFoundException("Cannot find the AmiShare repository (AmiShareModule.sln) above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// The build configuration whose module to use: the one this program was built with (Debug, Release),
    /// as `dotnet build -c X` builds the module of the same configuration.
    /// </summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } c ? c : "Debug";

    /// <summary>out/&lt;Configuration&gt;/AmiShare, the module folder the build assembles.</summary>
    public static string ModuleFolder => Path.Combine(Root, "out", Configuration, "AmiShare");

    /// <summary>out/&lt;Configuration&gt;/AmiShare/AmiShare.psd1.</summary>
    public static string ModuleManifest => Path.Combine(ModuleFolder, "AmiShare.psd1");

    /// <summary>out/&lt;Configuration&gt;/AmiShare/dependencies: the engine, AWSSDK and the PowerShell 7 loader.</summary>
    public static string DependencyFolder => Path.Combine(ModuleFolder, "dependencies");

    /// <summary>docs/examples/tour.ps1.</summary>
    public static string Tour => Path.Combine(Root, "docs", "examples", "tour.ps1");
}
