using System.Management.Automation;
using Xunit;
using static AmiShare.Module.Tests.ModuleTestContext;

namespace AmiShare.Module.Tests;

/// <summary>-KmsKeyId of Publish-Ami and Copy-SharedAmi (one reader): neither a key nor a table is refused before any call, with the command's example.</summary>
public sealed class KmsKeyArgumentTests
{
    [Theory]
    [InlineData("Publish-Ami $args[0] -Region us-west-2 -KmsKeyId 42", "PublishAmiCommand", "alias/golden")]
    [InlineData("Copy-SharedAmi $args[0] -Region us-west-2 -EndpointUrl $Endpoint -KmsKeyId 42", "CopySharedAmiCommand", "alias/mine")]
    public async Task NeitherAKeyNorATable_IsRefused_BeforeAnyCall_WithTheCommandsExample(string command, string cmdlet, string example)
    {
        await using var t = await StartAsync();

        var r = t.Run(command, Cmk);

        ErrorRecord error = Assert.Single(r.AllErrors);
        Assert.Equal($"KmsKeyNotUsable,AmiShare.Commands.{cmdlet}", error.FullyQualifiedErrorId);
        Assert.Contains("-KmsKeyId got a Int32, which is neither a key nor a table of region = key.", error.Exception.Message);
        Assert.Contains($"-KmsKeyId {example}", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, t.Log.Total);
    }
}
