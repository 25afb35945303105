using System.Management.Automation;
using Amazon.PowerShell.Common;
using AmiShare.Emulator;
using AmiShare.Sandbox;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>-ImageId tab completion through TabExpansion2, as a console asks for it, against the emulator.</summary>
public sealed class ImageIdCompletionTests
{
    /// <summary>The matches TabExpansion2 offers with the cursor at the end of <paramref name="line"/> (or at <paramref name="cursor"/>).</summary>
    private static IReadOnlyList<CompletionResult> Complete(ModuleTestContext t, string line, int? cursor = null)
    {
        var r = t.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[1]).CompletionMatches", line, cursor ?? line.Length).ThrowIfErrors();
        return r.Output.Select(o => (CompletionResult)o.BaseObject).ToList();
    }

    private static IReadOnlyList<string> Ids(IEnumerable<CompletionResult> results) => results.Select(c => c.CompletionText).ToList();

    /// <summary>Runs completion from an empty folder, so PowerShell's file-name fallback cannot offer anything of its own.</summary>
    private static IReadOnlyList<CompletionResult> CompleteInEmptyFolder(ModuleTestContext t, string line)
    {
        string folder = Path.Combine(Path.GetTempPath(), "amishare-empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            t.Ps.Runspace.SessionStateProxy.Path.SetLocation(folder);
            return Complete(t, line);
        }
        finally
        {
            t.Ps.Runspace.SessionStateProxy.Path.SetLocation(Path.GetTempPath());
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public async Task OwnAmis_NewestFirst_WithNameAndDate_OtherOwnersAndRegionsLeftOut()
    {
        await using var t = await StartAsync();

        var results = Complete(t, "Get-AmiLaunchPermission -ImageId ");

        // Agent 2026-11-04, Cmk 11-03, Web 11-02, Market 2026-01-15, AwsEbs 2025-03-01; ThirdParty is public but not ours; EuWeb is in eu-west-1.
        Assert.Equal(new[] { Agent, Cmk, Web, Market, AwsEbs }, Ids(results));
        CompletionResult web = results.Single(c => c.CompletionText == Web);
        Assert.Equal($"{Web} (web-server-2026.11, 2026-11-02)", web.ListItemText);
        Assert.Equal($"{Web} (web-server-2026.11, 2026-11-02 10:00 UTC)", web.ToolTip);
        Assert.Equal(CompletionResultType.ParameterValue, web.ResultType);

        RequestLogEntry call = Assert.Single(t.Log.Entries);
        Assert.Equal(("DescribeImages", Owner, "us-east-1"), (call.Action, call.Account, call.Region));
        Assert.Equal("self", call.Parameters["Owner.1"]);
        Assert.Equal("state", call.Parameters["Filter.1.Name"]);
        Assert.Equal(new[] { "available", "pending" }, new[] { call.Parameters["Filter.1.Value.1"], call.Parameters["Filter.1.Value.2"] });
    }

    [Fact]
    public async Task PositionalImageId_OnEveryCmdlet_IsCompleted()
    {
        await using var t = await StartAsync();

        foreach (string cmdlet in new[] { "Get-AmiLaunchPermission", "Grant-AmiLaunchPermission", "Revoke-AmiLaunchPermission", "Reset-AmiLaunchPermission", "Set-AmiPublic", "Test-AmiLaunchAccess", "Test-AmiShareable" })
        {
            Assert.Equal(new[] { Agent }, Ids(Complete(t, cmdlet + " build-agent")));
        }
    }

    [Fact]
    public async Task IdPrefix_FiltersCaseInsensitively()
    {
        await using var t = await StartAsync();

        Assert.Equal(new[] { Cmk }, Ids(Complete(t, "Grant-AmiLaunchPermission -ImageId AMI-0A1B2C3D4E5F60002")));
        Assert.Equal(new[] { Agent, Cmk, Web, Market, AwsEbs }, Ids(Complete(t, "Grant-AmiLaunchPermission -ImageId 'ami-0a1b2c3d4e5f6000")));
    }

    [Fact]
    public async Task NameText_FiltersBySubstring_CaseInsensitively()
    {
        await using var t = await StartAsync();

        var results = Complete(t, "Revoke-AmiLaunchPermission -ImageId SERVER");

        Assert.Equal(new[] { Cmk, Web }, Ids(results)); // app-server-cmk (11-03), web-server-2026.11 (11-02)
        Assert.Equal($"{Cmk} (app-server-cmk, 2026-11-03)", results[0].ListItemText);
    }

    [Fact]
    public async Task RegionOnTheLine_IsUsed_BeforeOrAfterTheCursor()
    {
        await using var t = await StartAsync();

        Assert.Equal(new[] { EuWeb }, Ids(Complete(t, "Get-AmiLaunchPermission -Region eu-west-1 -ImageId ")));

        const string line = "Get-AmiLaunchPermission -ImageId web -Region eu-west-1";
        Assert.Equal(new[] { EuWeb }, Ids(Complete(t, line, line.IndexOf(" -Region", StringComparison.Ordinal))));
        Assert.All(t.Log.Entries, e => Assert.Equal(("DescribeImages", "eu-west-1"), (e.Action, e.Region)));
    }

    [Fact]
    public async Task KeysOnTheLine_WinOverDefaultParameterValues_AndListThatAccountsAmis()
    {
        await using var t = await StartAsync();
        const string consumerAmi = "ami-0c0c0c0c0c0c0c0c1";
        t.World.AddImage(new ImageSpec { ImageId = consumerAmi, Region = "us-east-1", Owner = Consumer, Name = "consumer-build", CreationDate = new DateTime(2026, 10, 1, 8, 30, 0, DateTimeKind.Utc) });

        var results = Complete(t, $"Get-AmiLaunchPermission -AccessKey {ConsumerKey} -SecretKey {ConsumerSecret} -ImageId ");

        Assert.Equal(new[] { consumerAmi }, Ids(results));
        Assert.Equal($"{consumerAmi} (consumer-build, 2026-10-01)", results[0].ListItemText);
        Assert.Equal(Consumer, Assert.Single(t.Log.Entries).Account);
    }

    [Fact]
    public async Task DefaultParameterValues_ForThisCommand_ByAlias_AreUsed_UnlessDisabled()
    {
        await using var t = await StartAsync();
        t.Run("$PSDefaultParameterValues['Get-AmiLaunch*:RegionToCall'] = 'eu-west-1'").ThrowIfErrors();

        Assert.Equal(new[] { EuWeb }, Ids(Complete(t, "Get-AmiLaunchPermission -ImageId ")));
        Assert.Equal(new[] { Web }, Ids(Complete(t, "Grant-AmiLaunchPermission -ImageId web")));

        // With the defaults disabled only the line counts: its keys and endpoint, and $StoredAWSRegion (us-east-1).
        t.Run("$PSDefaultParameterValues['Disabled'] = $true").ThrowIfErrors();
        Assert.Equal(new[] { Web }, Ids(Complete(t, $"Get-AmiLaunchPermission -EndpointUrl {t.Emulator.Endpoint} -AK {OwnerKey} -SK {OwnerSecret} -ImageId web")));
        Assert.Equal(new[] { "eu-west-1", "us-east-1" }, t.Log.Entries.Select(e => e.Region).ToArray());
    }

    [Fact]
    public async Task StoredAwsCredentialsAndRegion_AreUsed_WhenNothingIsOnTheLine()
    {
        await using var t = await StartAsync(defaultCredentials: false);
        var stored = new AWSPSCredentials(OwnerKey, OwnerSecret, "owner");
        t.Ps.SetVariable("StoredAWSCredentials", stored);
        t.Ps.SetVariable("StoredAWSRegion", "eu-west-1");

        Assert.Equal(new[] { EuWeb }, Ids(Complete(t, "Set-AmiPublic -ImageId ")));
        Assert.Equal((Owner, "eu-west-1"), (Assert.Single(t.Log.Entries).Account, Assert.Single(t.Log.Entries).Region));
        Assert.True(stored.Credentials.Calls > 0);
    }

    [Fact]
    public async Task FailedAmis_AreLeftOut_PendingOnesOfferedAndMarked()
    {
        await using var t = await StartAsync();
        const string pending = "ami-0a1b2c3d4e5f6000a";
        const string failed = "ami-0a1b2c3d4e5f6000b";
        t.World.AddImage(new ImageSpec { ImageId = pending, Region = "us-east-1", Owner = Owner, Name = "web-server-2026.12", State = "pending", CreationDate = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc) });
        t.World.AddImage(new ImageSpec { ImageId = failed, Region = "us-east-1", Owner = Owner, Name = "web-server-broken", State = "failed", CreationDate = new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc) });

        var results = Complete(t, "Grant-AmiLaunchPermission -ImageId web-server");

        Assert.Equal(new[] { pending, Web }, Ids(results));
        Assert.Equal($"{pending} (web-server-2026.12, 2026-12-01 09:00 UTC, pending)", results[0].ToolTip);
    }

    [Fact]
    public async Task NoCredentials_OffersNothing_WithoutErrorOrCall()
    {
        await using var t = await StartAsync(defaultCredentials: false);
        t.Ps.SetVariable("StoredAWSRegion", "us-east-1");

        var r = t.Run("$Error.Clear(); $m = (TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches; $m.Count; $Error.Count", "Get-AmiLaunchPermission -ImageId ami-");

        Assert.Null(r.Terminating);
        Assert.Empty(r.Errors);
        Assert.Equal(new object[] { 0, 0 }, r.Output.Select(o => o.BaseObject).ToArray());
        Assert.Empty(CompleteInEmptyFolder(t, "Get-AmiLaunchPermission -ImageId "));
        Assert.Equal(0, t.Log.Total);
    }

    [Fact]
    public async Task AwsError_OffersNothing()
    {
        await using var t = await StartAsync();
        t.Emulator.Options.FailNext("DescribeImages", "UnauthorizedOperation", 403, message: "You are not authorized to perform this operation.");

        Assert.Empty(CompleteInEmptyFolder(t, "Get-AmiLaunchPermission -ImageId "));
        Assert.Equal("UnauthorizedOperation", Assert.Single(t.Log.Entries).ErrorCode);
    }

    [Fact]
    public async Task SecondTab_IsAnsweredFromTheCache_WithoutAnotherDescribeImages()
    {
        await using var t = await StartAsync();

        Assert.Equal(new[] { Agent, Cmk, Web, Market, AwsEbs }, Ids(Complete(t, "Get-AmiLaunchPermission -ImageId ")));
        Assert.Equal(new[] { Web }, Ids(Complete(t, "Grant-AmiLaunchPermission -ImageId web")));
        Assert.Equal(new[] { Agent, Cmk, Web, Market, AwsEbs }, Ids(Complete(t, "Get-AmiLaunchPermission -ImageId ")));

        Assert.Equal(1, t.Log.Count("DescribeImages"));

        // Another region is another listing.
        Assert.Equal(new[] { EuWeb }, Ids(Complete(t, "Get-AmiLaunchPermission -Region eu-west-1 -ImageId ")));
        Assert.Equal(2, t.Log.Count("DescribeImages"));
    }

    [Fact]
    public async Task SlowEndpoint_OffersNothingWithinTheBudget_ThenTheNextTabShowsTheLateAnswer()
    {
        await using var t = await StartAsync();
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int arrived = 0;
        t.Emulator.Options.Latency = TimeSpan.FromDays(1);
        t.Emulator.Options.Delay = _ => { Interlocked.Increment(ref arrived); return answer.Task; };
        var recorded = new TaskCompletionSource<RequestLogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        t.Log.EntryAdded += e => recorded.TrySetResult(e);

        IReadOnlyList<CompletionResult> results;
        try
        {
            results = CompleteInEmptyFolder(t, "Get-AmiLaunchPermission -ImageId ");

            // Completion came back while the one request it made was still unanswered.
            Assert.Equal(1, Volatile.Read(ref arrived));
            Assert.Equal(0, t.Log.Total);
        }
        finally
        {
            t.Emulator.Options.Latency = TimeSpan.Zero;
            answer.SetResult();
        }

        Assert.Empty(results);

        // The request the prompt stopped waiting for was the DescribeImages; the emulator answers it once released.
        RequestLogEntry late = await recorded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("DescribeImages", late.Action);

        // The listing went on in the background and cached that late answer: the next Tab shows the AMIs
        // (waiting, within its budget, for the listing still in flight) without asking EC2 again.
        Assert.Equal(new[] { Agent, Cmk, Web, Market, AwsEbs }, Ids(Complete(t, "Get-AmiLaunchPermission -ImageId ")));
        Assert.Equal(1, t.Log.Count("DescribeImages"));
    }

    [Fact]
    public void Completer_NoMemberOrAttribute_NamesAnEngineOrAwsSdkType()
    {
        using var ps = new ModuleSession();
        var r = ps.Invoke("(Get-Command Get-AmiLaunchPermission).ImplementingType.Assembly.GetType('AmiShare.Commands.ImageIdCompleter')").ThrowIfErrors();
        var completer = (Type)r.Output.Single().BaseObject;
        const System.Reflection.BindingFlags all = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic
            | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly;

        var named = new List<(string Member, Type Type)>();
        foreach (Type type in new[] { completer }.Concat(completer.GetNestedTypes(all)))
        {
            named.AddRange(type.CustomAttributes.Select(a => (type.Name, a.AttributeType)));
            named.AddRange(type.GetInterfaces().Select(i => (type.Name, i)));
            foreach (var member in type.GetMembers(all))
            {
                string name = type.Name + "." + member.Name;
                named.AddRange(member.CustomAttributes.Select(a => (name, a.AttributeType)));
                switch (member)
                {
                    case System.Reflection.MethodBase m:
                        named.AddRange(m.GetParameters().Select(p => (name, p.ParameterType)));
                        if (m is System.Reflection.MethodInfo mi) named.Add((name, mi.ReturnType));
                        break;
                    case System.Reflection.FieldInfo f:
                        named.Add((name, f.FieldType));
                        break;
                    case System.Reflection.PropertyInfo p:
                        named.Add((name, p.PropertyType));
                        break;
                }
            }
        }

        Assert.Contains(named, n => n.Member.EndsWith(".CompleteArgument", StringComparison.Ordinal)); // the walk saw the members
        Assert.DoesNotContain(named, n => Names(n.Type).Any(a => a == "AmiShare.Engine" || a.StartsWith("AWSSDK.", StringComparison.Ordinal)));
    }

    /// <summary>The assemblies a type and its generic arguments or element type come from.</summary>
    private static IEnumerable<string> Names(Type type)
    {
        yield return type.Assembly.GetName().Name!;
        foreach (Type inner in type.GetGenericArguments().Concat(type.HasElementType ? new[] { type.GetElementType()! } : Array.Empty<Type>()))
        {
            foreach (string name in Names(inner))
            {
                yield return name;
            }
        }
    }
}
