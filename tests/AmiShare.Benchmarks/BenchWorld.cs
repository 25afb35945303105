using System.Text.Json.Nodes;
using AmiShare.Emulator;

namespace AmiShare.Benchmarks;

/// <summary>
/// The emulator worlds the benchmark runs against: the demo world (its accounts, organization and KMS keys) plus
/// sets of AMIs owned by the demo owner (123456789012), each set with its own id prefix so that every job gets AMIs
/// nobody has shared yet. The emulator is reset to this start state before every job and every repetition.
/// </summary>
public static class BenchWorld
{
    public const string Owner = "123456789012";

    /// <summary>The demo world's customer managed key (us-east-1) that the encrypted set is behind.</summary>
    public const string CmkId = "1234abcd-12ab-34cd-56ef-1234567890ab";

    public static readonly string[] Regions = { "us-east-1", "us-west-2", "eu-west-1" };

    /// <summary>Consumer accounts 111122220000, 111122220001, … (not in the world: EC2 takes any 12-digit account).</summary>
    public static string[] Accounts(int count) =>
        Enumerable.Range(0, count).Select(a => (111122220000L + a).ToString("D12", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>An AMI id of a set: ami-&lt;set letter&gt;&lt;16 hex digits&gt;.</summary>
    public static string ImageId(char set, int n) => $"ami-{set}{n:x16}";

    /// <summary>The region of AMI <paramref name="n"/> of the 3-region set (round robin).</summary>
    public static string SpreadRegion(int n) => Regions[n % Regions.Length];

    /// <summary>
    /// The demo world plus: set 'a', <paramref name="amis"/> unencrypted AMIs in us-east-1; set 'b', as many spread
    /// over three regions; set 'c', as many whose snapshots are encrypted with the demo CMK (one key for all).
    /// </summary>
    public static World Latency(int amis)
    {
        var doc = JsonNode.Parse(World.DemoJson())!;
        for (int n = 0; n < amis; n++)
        {
            AddImage(doc, ImageId('a', n), "us-east-1", kmsKeyId: null);
            AddImage(doc, ImageId('b', n), SpreadRegion(n), kmsKeyId: null);
            AddImage(doc, ImageId('c', n), "us-east-1", kmsKeyId: $"arn:aws:kms:us-east-1:{Owner}:key/{CmkId}");
        }

        return World.FromJson(doc.ToJsonString());
    }

    /// <summary>The demo world plus set 'd', <paramref name="amis"/> unencrypted AMIs in us-east-1 (the throttled run).</summary>
    public static World Throttled(int amis)
    {
        var doc = JsonNode.Parse(World.DemoJson())!;
        for (int n = 0; n < amis; n++)
        {
            AddImage(doc, ImageId('d', n), "us-east-1", kmsKeyId: null);
        }

        return World.FromJson(doc.ToJsonString());
    }

    private static void AddImage(JsonNode doc, string imageId, string region, string? kmsKeyId)
    {
        string snapshotId = "snap-" + imageId["ami-".Length..];
        var snapshot = new JsonObject { ["snapshotId"] = snapshotId, ["region"] = region, ["owner"] = Owner };
        if (kmsKeyId != null)
        {
            snapshot["encrypted"] = true;
            snapshot["kmsKeyId"] = kmsKeyId;
        }

        doc["snapshots"]!.AsArray().Add(snapshot);
        doc["images"]!.AsArray().Add(new JsonObject
        {
            ["imageId"] = imageId,
            ["region"] = region,
            ["owner"] = Owner,
            ["name"] = "bench-" + imageId,
            ["blockDeviceMappings"] = new JsonArray(new JsonObject { ["deviceName"] = "/dev/xvda", ["snapshotId"] = snapshotId }),
        });
    }
}
