using System.Diagnostics;
using System.Management.Automation;
using System.Reflection;
using AmiShare.Sandbox;
using Xunit;

namespace AmiShare.Module.Tests;

/// <summary>
/// One version source: AmiShare.psd1's ModuleVersion is the version of every shipped assembly
/// (Directory.Build.props reads it), so the manifest and the dlls can never disagree.
/// </summary>
public sealed class VersionTests
{
    [Fact]
    public void AssembledAssemblies_CarryTheManifestsModuleVersion()
    {
        Version expected = ReadModuleVersion(Path.Combine(RepoPaths.Root, "AmiShare.psd1"));
        Assert.Equal(expected, ReadModuleVersion(RepoPaths.ModuleManifest));

        var assemblies = new[]
        {
            Path.Combine(RepoPaths.ModuleFolder, "AmiShare.dll"),
            Path.Combine(RepoPaths.DependencyFolder, "AmiShare.Engine.dll"),
            Path.Combine(RepoPaths.DependencyFolder, "AmiShare.Loader.dll"),
        };
        foreach (string dll in assemblies)
        {
            Assert.Equal(Full(expected), AssemblyName.GetAssemblyName(dll).Version);
            var info = FileVersionInfo.GetVersionInfo(dll);
            Assert.Equal(Full(expected), Full(Version.Parse(info.FileVersion!)));
            // The SDK may append "+<commit>" (source revision); the version before it is the manifest's.
            Assert.Equal(expected.ToString(), info.ProductVersion!.Split('+')[0]);
        }
    }

    [Fact]
    public void Build_TakesItsVersionFromTheManifestItReads()
    {
        string dir = Directory.CreateTempSubdirectory("amishare-version-").FullName;
        try
        {
            string manifest = Path.Combine(dir, "AmiShare.psd1");
            string text = File.ReadAllText(Path.Combine(RepoPaths.Root, "AmiShare.psd1"));
            File.WriteAllText(manifest, System.Text.RegularExpressions.Regex.Replace(text, @"ModuleVersion\s*=\s*'[^']*'", "ModuleVersion = '7.8.9'"));
            Assert.Equal(new Version(7, 8, 9), ReadModuleVersion(manifest));

            string engine = Path.Combine(RepoPaths.Root, "src", "AmiShare.Engine", "AmiShare.Engine.csproj");
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepoPaths.Root,
            };
            foreach (string arg in new[] { "msbuild", engine, "-nologo", "-getProperty:AssemblyVersion", "-getProperty:FileVersion", "-getProperty:InformationalVersion", "-p:AmiShareManifest=" + manifest })
            {
                psi.ArgumentList.Add(arg);
            }

            using var process = Process.Start(psi)!;
            string stdout = process.StandardOutput.ReadToEnd();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "dotnet msbuild failed: " + stdout + stderr);
            Assert.Contains("\"AssemblyVersion\": \"7.8.9\"", stdout);
            Assert.Contains("\"FileVersion\": \"7.8.9\"", stdout);
            Assert.Contains("\"InformationalVersion\": \"7.8.9\"", stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>ModuleVersion as PowerShell itself reads the manifest (a data file evaluated as a hashtable).</summary>
    private static Version ReadModuleVersion(string psd1)
    {
        using var ps = PowerShell.Create(System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2());
        ps.AddScript("(& ([scriptblock]::Create([System.IO.File]::ReadAllText($args[0])))).ModuleVersion").AddArgument(psd1);
        var output = ps.Invoke();
        Assert.False(ps.HadErrors, "Reading " + psd1 + " failed: " + string.Join("; ", ps.Streams.Error));
        return Version.Parse(Assert.Single(output).ToString());
    }

    /// <summary>0.1.0 as an assembly stores it: 0.1.0.0.</summary>
    private static Version Full(Version v) => new(v.Major, v.Minor, Math.Max(v.Build, 0), Math.Max(v.Revision, 0));
}
