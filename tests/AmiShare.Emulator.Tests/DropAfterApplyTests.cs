using System.Net.Http;
using System.Text;
using System.Text.Json;
using AmiShare.Emulator;
using Xunit;

namespace AmiShare.Emulator.Tests;

/// <summary>The drop-after fault: the request is handled (a write applied), then its answer is cut off mid-body.</summary>
public sealed class DropAfterApplyTests : FreshEmulatorTest
{
    private const string Plain = "ami-0a1b2c3d4e5f60001";

    [Fact]
    public async Task ControlApi_DropAfter_WriteAppliedAnswerCutOff_LoggedWithItsStatus()
    {
        using var http = new HttpClient();
        var add = await http.PostAsync(Host.Endpoint + "/_emulator/faults",
            new StringContent("{\"action\":\"ModifyImageAttribute\",\"kind\":\"drop-after\",\"times\":1}", Encoding.UTF8, "application/json"));
        Assert.True(add.IsSuccessStatusCode, await add.Content.ReadAsStringAsync());
        using (var listed = JsonDocument.Parse(await http.GetStringAsync(Host.Endpoint + "/_emulator/faults")))
        {
            Assert.Contains("\"kind\":\"drop-after\"", listed.RootElement.GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal));
        }

        var req = new HttpRequestMessage(HttpMethod.Post, Host.Endpoint + "/")
        {
            Content = new StringContent($"Action=ModifyImageAttribute&Version=2016-11-15&ImageId={Plain}&LaunchPermission.Add.1.UserId=111122223333", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        req.Headers.TryAddWithoutValidation("Authorization", Clients.AuthHeader(Demo.OwnerKey, "us-east-1", "ec2"));

        // The status line and headers arrive, the body does not: the client cannot tell whether the write took effect.
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(req));
        Assert.Contains("copying content", e.Message, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(new[] { ("UserId", "111122223333") }, Host.World.LaunchPermissionsOf("us-east-1", Plain));
        var entry = Assert.Single(Host.Log.Entries, x => x.Action == "ModifyImageAttribute");
        Assert.Equal((200, "ConnectionDroppedAfterApply"), (entry.HttpStatus, entry.ErrorCode));
        Assert.Empty(Host.Options.Faults);
    }

    [Theory]
    [InlineData("ModifyImageAttribute=drop-after", 1, null)]
    [InlineData("ModifyImageAttribute=drop-after:3", 3, null)]
    [InlineData("*=drop-after@0.01", null, 0.01)]
    public void CommandLine_DropAfter_Parsed(string spec, int? times, double? rate)
    {
        FaultRule rule = EmulatorCommandLine.ParseFault(spec);
        Assert.Equal(FaultKind.DropAfterApply, rule.Kind);
        Assert.Equal(rate, rule.Rate);
        if (times is { } n && n > 1)
        {
            Assert.Equal(n, rule.Times);
        }
    }

    [Fact]
    public void DropAfter_WithACode_RefusedNamingTheKind()
    {
        var e = Assert.Throws<ArgumentException>(() => new FaultRule("ModifyImageAttribute", FaultKind.DropAfterApply, Code: "InternalError").Validate());
        Assert.Contains("not to 'drop-after' (which uses a cut-off answer)", e.Message);
    }
}
