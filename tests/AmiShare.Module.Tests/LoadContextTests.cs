using System.Runtime.Loader;
using AmiShare.Sandbox;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>
/// The in-process host gets the same isolation as pwsh: the engine and AWSSDK load into the "AmiShare"
/// AssemblyLoadContext from out/&lt;Configuration&gt;/AmiShare/dependencies, never into the default context
/// (design.md §10). Import-order scenarios against other AWSSDK.Core builds are in IsolationTests (real pwsh).
/// </summary>
public sealed class LoadContextTests
{
    [Fact]
    public async Task Engine_AfterACommand_LivesInAmiShareContext_FromDependencies()
    {
        await using var t = await StartAsync();
        t.Run("Grant-AmiLaunchPermission $args[0] -AccountId 111122223333", Web).ThrowIfErrors();
        Assert.Equal(new[] { "UserId:111122223333" }, t.PermissionsOf(Web));

        var engine = Assert.Single(Loaded("AmiShare.Engine"));
        var context = AssemblyLoadContext.GetLoadContext(engine)!;
        Assert.Equal("AmiShare", context.Name);
        Assert.Equal(Path.Combine(RepoPaths.DependencyFolder, "AmiShare.Engine.dll"), engine.Location);

        // The SDK the engine binds to is the copy in its context, from dependencies/ (another test may have put
        // AWSSDK.EC2 into the default context too, as AWS.Tools would).
        foreach (string sdk in new[] { "AWSSDK.Core", "AWSSDK.EC2" })
        {
            var reference = engine.GetReferencedAssemblies().Single(a => a.Name == sdk);
            var bound = context.LoadFromAssemblyName(reference);
            Assert.Same(context, AssemblyLoadContext.GetLoadContext(bound));
            Assert.Equal(Path.Combine(RepoPaths.DependencyFolder, sdk + ".dll"), bound.Location);
        }

        // The cmdlets stay in the default context, loaded from the module root.
        var cmdlets = Assert.Single(Loaded("AmiShare"));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(cmdlets));
        Assert.Equal(Path.Combine(RepoPaths.ModuleFolder, "AmiShare.dll"), cmdlets.Location);
    }

    [Fact]
    public async Task AmiShareContext_LeavesWhatTheRuntimeProvides_ToTheRuntime()
    {
        await using var t = await StartAsync();
        t.Run("Get-AmiLaunchPermission $args[0]", Web).ThrowIfErrors();

        var context = Assert.Single(AssemblyLoadContext.All, c => c.Name == "AmiShare");
        var names = context.Assemblies.Select(a => a.GetName().Name!).ToList();
        string[] shipped = Directory.GetFiles(RepoPaths.DependencyFolder, "*.dll").Select(Path.GetFileNameWithoutExtension).ToArray()!;

        // Everything in the context is ours, from dependencies/ ...
        Assert.All(context.Assemblies, a => Assert.Equal(RepoPaths.DependencyFolder, Path.GetDirectoryName(a.Location)));
        Assert.Subset(shipped.ToHashSet(), names.ToHashSet());
        // ... except the netstandard2.0 packages the runtime already has at a higher version: those come from the framework.
        Assert.Contains("System.Text.Json", shipped);
        Assert.Contains("System.Memory", shipped);
        Assert.DoesNotContain("System.Text.Json", names);
        Assert.DoesNotContain("System.Memory", names);
        Assert.All(Loaded("System.Memory"), a => Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(a)));
    }

    [Theory]
    [InlineData(null, "NoneLoaded")]                                   // nothing loaded yet: ours may load
    [InlineData("3.3.0.0|3.7.402.0|/other/AWSSDK.Core.dll", "NoneLoaded")] // a v3 Core loads beside v4
    [InlineData("4.0.0.0|4.1.0.0|/m/dependencies/AWSSDK.Core.dll", "Ours")]
    [InlineData("4.0.0.0|4.1.0.0|/aws.tools/AWSSDK.Core.dll", "SameBuild")]
    [InlineData("4.0.0.0|4.0.3.3|/aws.tools/AWSSDK.Core.dll", "Conflict")]
    [InlineData("4.0.0.0|4.0.187.0|", "Conflict")]                       // loaded from bytes: no location
    public void AwsSdkConflictCheck_OnWindowsPowerShell_DecidesFromLoadedCores(string? loaded, string expected)
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke(@"$ours = [AmiShare.AwsSdkAssembly]::new([version]'4.0.0.0', '4.1.0.0', '/m/dependencies/AWSSDK.Core.dll')
$list = @(foreach ($l in $args) { if ($l) { $p = $l -split '\|'; [AmiShare.AwsSdkAssembly]::new([version]$p[0], $p[1], $p[2]) } })
[AmiShare.AwsSdkConflict]::Check($ours, [AmiShare.AwsSdkAssembly[]]$list).Decision.ToString()", loaded ?? "").ThrowIfErrors();
        Assert.Equal(expected, Assert.Single(r.Output).BaseObject);
    }

    [Fact]
    public void AwsSdkConflict_WithBothCoresLoaded_PrefersOurs()
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke(@"$ours = [AmiShare.AwsSdkAssembly]::new([version]'4.0.0.0', '4.1.0.0', '/m/dependencies/AWSSDK.Core.dll')
$theirs = [AmiShare.AwsSdkAssembly]::new([version]'4.0.0.0', '4.0.3.3', '/aws.tools/AWSSDK.Core.dll')
[AmiShare.AwsSdkConflict]::Check($ours, [AmiShare.AwsSdkAssembly[]]@($theirs, $ours)).Decision.ToString()").ThrowIfErrors();
        Assert.Equal("Ours", Assert.Single(r.Output).BaseObject);
    }

    [Fact]
    public void AwsSdkConflict_Message_NamesTheLoadedCoreAndOurs_AndTheFix()
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke(@"$ours = [AmiShare.AwsSdkAssembly]::new([version]'4.0.0.0', '4.1.0.0', 'C:\Mods\AmiShare\dependencies\AWSSDK.Core.dll')
$theirs = [AmiShare.AwsSdkAssembly]::new([version]'4.0.0.0', '4.0.187.0', 'C:\Mods\AWS.Tools.Common\AWSSDK.Core.dll')
$c = [AmiShare.AwsSdkConflict]::Check($ours, [AmiShare.AwsSdkAssembly[]]@($theirs))
$c.Message; $c.Loaded.Location; [AmiShare.AwsSdkConflict]::ErrorId").ThrowIfErrors();

        string message = (string)r.Output[0].BaseObject;
        Assert.Contains("another AWSSDK.Core (file version 4.0.187.0, loaded from C:\\Mods\\AWS.Tools.Common\\AWSSDK.Core.dll)", message);
        Assert.Contains("(file version 4.1.0.0, C:\\Mods\\AmiShare\\dependencies\\AWSSDK.Core.dll)", message);
        Assert.Contains("Start a new Windows PowerShell session and import AmiShare before AWS.Tools", message);
        Assert.Contains("or use PowerShell 7, where AmiShare and AWS.Tools work side by side in either order", message);
        Assert.Equal("C:\\Mods\\AWS.Tools.Common\\AWSSDK.Core.dll", r.Output[1].BaseObject);
        Assert.Equal("AwsSdkConflict", r.Output[2].BaseObject);
    }

    private static List<System.Reflection.Assembly> Loaded(string name) =>
        AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Where(a => a.GetName().Name == name).ToList();
}
