using System.Text.Json.Nodes;

namespace AmiShare.Emulator.Tests;

/// <summary>The demo world plus instances and launch templates that use Demo.Web in the owner's, the consumer's and the third account.</summary>
internal static class ImageUsageWorld
{
    public static readonly DateTime NewestLaunch = new(2026, 11, 20, 8, 30, 0, DateTimeKind.Utc);

    public static World Create(string? webLastLaunched = null)
    {
        var doc = JsonNode.Parse(World.DemoJson())!.AsObject();
        JsonObject Instance(string account, string state, string launch, string imageId = Demo.Web, string region = "us-east-1") =>
            new() { ["account"] = account, ["region"] = region, ["imageId"] = imageId, ["state"] = state, ["launchTime"] = launch };
        doc["instances"] = new JsonArray(
            Instance(Demo.Consumer, "running", "2026-11-10T00:00:00Z"),
            Instance(Demo.Consumer, "stopped", "2026-11-12T00:00:00Z"),
            Instance(Demo.Consumer, "terminated", "2026-11-15T00:00:00Z"),
            Instance(Demo.Third, "running", "2026-11-20T08:30:00Z"),
            Instance(Demo.Owner, "running", "2026-11-05T00:00:00Z"),
            Instance(Demo.Consumer, "running", "2026-11-25T00:00:00Z", Demo.Cmk));
        doc["launchTemplates"] = new JsonArray(
            new JsonObject { ["account"] = Demo.Consumer, ["region"] = "us-east-1", ["imageId"] = Demo.Web, ["name"] = "web-lt" },
            new JsonObject { ["account"] = Demo.Platform, ["region"] = "us-east-1", ["imageId"] = Demo.Web, ["name"] = "platform-lt" });
        if (webLastLaunched != null)
            foreach (var i in doc["images"]!.AsArray())
                if ((string?)i!["imageId"] == Demo.Web) i["lastLaunchedTime"] = webLastLaunched;
        return World.FromJson(doc.ToJsonString());
    }
}
