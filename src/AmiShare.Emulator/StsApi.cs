namespace AmiShare.Emulator;

/// <summary>STS GetCallerIdentity (awsQuery protocol, wire-spec §6).</summary>
internal static class StsApi
{
    public static string Handle(World w, CallContext c)
    {
        if (c.Action != "GetCallerIdentity")
            throw new ApiException(400, "InvalidAction", $"Could not find operation {c.Action} for version 2011-06-15");
        var key = c.Key!;
        var arn = key.Arn ?? $"arn:aws:iam::{c.AccountId}:user/emulator-{c.AccountId}";
        var userId = key.UserId ?? "AIDA" + key.AccessKeyId.Replace("AKIA", "").PadRight(17, '0')[..17];
        return "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <GetCallerIdentityResult>\n    <Arn>" + Xml.Esc(arn)
               + "</Arn>\n    <UserId>" + Xml.Esc(userId) + "</UserId>\n    <Account>" + c.AccountId + "</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>"
               + c.RequestId + "</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n";
    }
}
