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

    /// <summary>out/AmiShare/AmiShare.psd1, the module folder the build assembles.</summary>
    public static string ModuleManifest => Path.Combine(Root, "out", "AmiShare", "AmiShare.psd1");

    /// <summary>docs/examples/tour.ps1.</summary>
    public static string Tour => Path.Combine(Root, "docs", "examples", "tour.ps1");
}
