using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Xunit;

namespace AmiShare.Emulator.Tests;

public sealed class StsTests : IClassFixture<DemoEmulatorFixture>
{
    private readonly DemoEmulatorFixture _f;
    public StsTests(DemoEmulatorFixture f) => _f = f;

    [Fact]
    public async Task GetCallerIdentity_KnownKey_ReturnsAccountArnAndUserId()
    {
        using var sts = Clients.Sts(_f.Host, Demo.ConsumerKey);
        var r = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal(Demo.Consumer, r.Account);
        Assert.Equal("arn:aws:iam::111122223333:user/amishare-consumer", r.Arn);
        Assert.Equal("AIDAAMISHARECONSUMER1", r.UserId);
        Assert.False(string.IsNullOrEmpty(r.ResponseMetadata.RequestId));
    }

    [Fact]
    public async Task GetCallerIdentity_UnknownKey_InvalidClientTokenId403()
    {
        var sts = new AmazonSecurityTokenServiceClient(new Amazon.Runtime.BasicAWSCredentials("AKIANOBODY0000000000", "x"),
            new AmazonSecurityTokenServiceConfig { ServiceURL = _f.Host.Endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var e = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("InvalidClientTokenId", e.ErrorCode);
        Assert.Equal(403, (int)e.StatusCode);
        Assert.Equal("The security token included in the request is invalid.", e.Message);
    }
}

public sealed class KmsTests : FreshEmulatorTest
{
    [Fact]
    public async Task DescribeKey_CustomerAndAwsManaged_ReportKeyManager()
    {
        using var kms = Clients.Kms(Host);
        var cmk = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab" });
        Assert.Equal(Demo.CmkArn, cmk.KeyMetadata.Arn);
        Assert.Equal(KeyManagerType.CUSTOMER, cmk.KeyMetadata.KeyManager);
        Assert.Equal(KeyState.Enabled, cmk.KeyMetadata.KeyState);
        var ebs = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/ebs" });
        Assert.Equal(Demo.AwsEbsKeyArn, ebs.KeyMetadata.Arn);
        Assert.Equal(KeyManagerType.AWS, ebs.KeyMetadata.KeyManager);
        var byAlias = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/amishare-cmk" });
        Assert.Equal("1234abcd-12ab-34cd-56ef-1234567890ab", byAlias.KeyMetadata.KeyId);
    }

    [Fact]
    public async Task DescribeKey_UnknownAndInvalidIds_NotFoundWithRealTexts()
    {
        using var kms = Clients.Kms(Host);
        var e1 = await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "00000000-0000-0000-0000-000000000000" }));
        Assert.Equal("Key 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000' does not exist", e1.Message);
        Assert.Equal(400, (int)e1.StatusCode);
        var e2 = await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "fake-key-id" }));
        Assert.Equal("Invalid keyId 'fake-key-id'", e2.Message);
        var e3 = await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }));
        Assert.Equal("Invalid arn eu-west-1", e3.Message);
    }

    [Fact]
    public async Task GetKeyPolicy_Default_GrantsAccountRoot()
    {
        using var kms = Clients.Kms(Host);
        var p = await kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = Demo.CmkArn, PolicyName = "default" });
        Assert.Contains("arn:aws:iam::123456789012:root", p.Policy);
        Assert.Contains("\"kms:*\"", p.Policy);
        Assert.Equal("default", p.PolicyName);
    }

    [Fact]
    public async Task PutKeyPolicy_OrgStatement_EnablesCrossAccountDescribeKey()
    {
        using var kms = Clients.Kms(Host);
        using var consumerKms = Clients.Kms(Host, Demo.ConsumerKey);
        var denied = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => consumerKms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Demo.CmkArn }));
        Assert.Equal("AccessDeniedException", denied.ErrorCode);

        var policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" +
            "{\"Sid\":\"root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}," +
            "{\"Sid\":\"org\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"kms:Describe*\",\"kms:CreateGrant\",\"kms:Decrypt\"],\"Resource\":\"*\"," +
            "\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc1234567\"}}}]}";
        await kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = Demo.CmkArn, Policy = policy, PolicyName = "default" });
        Assert.Equal(policy, Host.World.KeyPolicyOf("us-east-1", "1234abcd-12ab-34cd-56ef-1234567890ab"));
        var ok = await consumerKms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Demo.CmkArn });
        Assert.Equal(Demo.Owner, ok.KeyMetadata.AWSAccountId);

        using var thirdKms = Clients.Kms(Host, Demo.ThirdKey);
        await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => thirdKms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Demo.CmkArn }));
        Assert.Equal(1, Host.Log.Count("kms", "PutKeyPolicy"));
        Assert.Equal(1, Host.Log.MutatingCount);
    }

    [Fact]
    public async Task PutKeyPolicy_AwsManagedOrMalformed_Rejected()
    {
        using var kms = Clients.Kms(Host);
        var e = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = Demo.AwsEbsKeyArn, Policy = "{\"Statement\":[]}" }));
        Assert.Equal("AccessDeniedException", e.ErrorCode);
        await Assert.ThrowsAsync<Amazon.KeyManagementService.Model.MalformedPolicyDocumentException>(() => kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = Demo.CmkArn, Policy = "not json" }));
    }

    [Fact]
    public async Task CreateGrant_ThenListGrants_ReturnsGrantAndNameIsIdempotent()
    {
        using var kms = Clients.Kms(Host);
        var req = new CreateGrantRequest
        {
            KeyId = Demo.CmkArn, GranteePrincipal = "arn:aws:iam::111122223333:root", Name = "ami-share-111122223333",
            Operations = new List<string> { "Decrypt", "DescribeKey", "CreateGrant" },
        };
        var g1 = await kms.CreateGrantAsync(req);
        var g2 = await kms.CreateGrantAsync(req);
        Assert.Equal(64, g1.GrantId.Length);
        Assert.Equal(g1.GrantId, g2.GrantId);
        var list = await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = Demo.CmkArn });
        var g = Assert.Single(list.Grants);
        Assert.Equal("arn:aws:iam::111122223333:root", g.GranteePrincipal);
        Assert.Equal(new[] { "Decrypt", "DescribeKey", "CreateGrant" }, g.Operations.Select(o => (string)o));
        Assert.Equal("arn:aws:iam::123456789012:root", g.IssuingAccount);
        Assert.False(list.Truncated);
        Assert.Single(Host.World.GrantsOf("us-east-1", Demo.CmkArn));
    }

    [Fact]
    public async Task ListGrants_Limit_PaginatesWithMarker()
    {
        using var kms = Clients.Kms(Host);
        for (var i = 0; i < 3; i++)
            await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = Demo.CmkArn, GranteePrincipal = $"arn:aws:iam::11112222333{i}:root", Operations = new List<string> { "Decrypt" } });
        var p1 = await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = Demo.CmkArn, Limit = 2 });
        Assert.True(p1.Truncated);
        Assert.Equal(2, p1.Grants.Count);
        var p2 = await kms.ListGrantsAsync(new ListGrantsRequest { KeyId = Demo.CmkArn, Limit = 2, Marker = p1.NextMarker });
        Assert.Single(p2.Grants);
        Assert.False(p2.Truncated);
    }
}

public sealed class OrganizationsTests : IClassFixture<DemoEmulatorFixture>
{
    private readonly DemoEmulatorFixture _f;
    public OrganizationsTests(DemoEmulatorFixture f) => _f = f;

    private Task<(int Status, System.Text.Json.JsonElement Body, HttpResponseMessage Response)> Call(string op, string json = "{}", string key = Demo.OwnerKey) =>
        Clients.Json(_f.Host, "AWSOrganizationsV20161128." + op, json, key);

    [Fact]
    public async Task DescribeOrganization_Member_SeesManagementAccountsOrganization()
    {
        var (status, body, res) = await Call("DescribeOrganization", "{}", Demo.ConsumerKey);
        Assert.Equal(200, status);
        var org = body.GetProperty("Organization");
        Assert.Equal("o-abc1234567", org.GetProperty("Id").GetString());
        Assert.Equal(Demo.OrgArn, org.GetProperty("Arn").GetString());
        Assert.Equal(Demo.Owner, org.GetProperty("MasterAccountId").GetString());
        Assert.Equal("application/x-amz-json-1.1", res.Content.Headers.ContentType!.MediaType);
        Assert.True(res.Headers.Contains("x-amzn-RequestId"));
    }

    [Fact]
    public async Task DescribeOrganization_OutsideOrg_NotInUse400()
    {
        var (status, body, _) = await Call("DescribeOrganization", "{}", Demo.ThirdKey);
        Assert.Equal(400, status);
        Assert.Equal("AWSOrganizationsNotInUseException", body.GetProperty("__type").GetString());
        Assert.Equal("Your account is not a member of an organization.", body.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task ListRoots_MemberAccount_AccessDenied()
    {
        var (status, body, _) = await Call("ListRoots", "{}", Demo.ConsumerKey);
        Assert.Equal(400, status);
        Assert.Equal("AccessDeniedException", body.GetProperty("__type").GetString());
        Assert.Equal("You don't have permissions to access this resource.", body.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task ListRootsAndChildren_Management_WalksTree()
    {
        var (_, roots, _) = await Call("ListRoots");
        var root = roots.GetProperty("Roots")[0];
        Assert.Equal("r-ab12", root.GetProperty("Id").GetString());
        Assert.Equal("arn:aws:organizations::123456789012:root/o-abc1234567/r-ab12", root.GetProperty("Arn").GetString());
        var (_, ous, _) = await Call("ListChildren", "{\"ParentId\":\"r-ab12\",\"ChildType\":\"ORGANIZATIONAL_UNIT\"}");
        Assert.Equal(new[] { "ou-ab12-11111111", "ou-ab12-22222222" }, ous.GetProperty("Children").EnumerateArray().Select(c => c.GetProperty("Id").GetString()));
        var (_, accts, _) = await Call("ListAccountsForParent", "{\"ParentId\":\"ou-ab12-33333333\"}");
        Assert.Equal(Demo.Platform, accts.GetProperty("Accounts")[0].GetProperty("Id").GetString());
        var (_, rootAccts, _) = await Call("ListChildren", "{\"ParentId\":\"r-ab12\",\"ChildType\":\"ACCOUNT\"}");
        Assert.Equal(new[] { Demo.Owner }, rootAccts.GetProperty("Children").EnumerateArray().Select(c => c.GetProperty("Id").GetString()));
        var (_, sub, _) = await Call("ListOrganizationalUnitsForParent", "{\"ParentId\":\"ou-ab12-11111111\"}");
        var platform = sub.GetProperty("OrganizationalUnits")[0];
        Assert.Equal("Platform", platform.GetProperty("Name").GetString());
        Assert.Equal(Demo.PlatformOuArn, platform.GetProperty("Arn").GetString());
    }

    [Fact]
    public async Task ListParentsAndDescribeOu_ReturnNestedParents()
    {
        var (_, p, _) = await Call("ListParents", "{\"ChildId\":\"444455556666\"}");
        Assert.Equal("ou-ab12-33333333", p.GetProperty("Parents")[0].GetProperty("Id").GetString());
        Assert.Equal("ORGANIZATIONAL_UNIT", p.GetProperty("Parents")[0].GetProperty("Type").GetString());
        var (_, p2, _) = await Call("ListParents", "{\"ChildId\":\"ou-ab12-33333333\"}");
        Assert.Equal("ou-ab12-11111111", p2.GetProperty("Parents")[0].GetProperty("Id").GetString());
        var (_, p3, _) = await Call("ListParents", "{\"ChildId\":\"123456789012\"}");
        Assert.Equal("ROOT", p3.GetProperty("Parents")[0].GetProperty("Type").GetString());
        var (_, ou, _) = await Call("DescribeOrganizationalUnit", "{\"OrganizationalUnitId\":\"ou-ab12-33333333\"}");
        Assert.Equal("o-abc1234567/r-ab12/ou-ab12-11111111/ou-ab12-33333333/", ou.GetProperty("OrganizationalUnit").GetProperty("Path").GetString());
        var (_, acct, _) = await Call("DescribeAccount", "{\"AccountId\":\"555566667777\"}");
        Assert.Equal("arn:aws:organizations::123456789012:account/o-abc1234567/555566667777", acct.GetProperty("Account").GetProperty("Arn").GetString());
    }

    [Fact]
    public async Task OrganizationsErrors_UnknownIds_SpecCodes()
    {
        var (s1, b1, _) = await Call("DescribeOrganizationalUnit", "{\"OrganizationalUnitId\":\"ou-ab12-99999999\"}");
        Assert.Equal((400, "OrganizationalUnitNotFoundException"), (s1, b1.GetProperty("__type").GetString()));
        var (_, b2, _) = await Call("ListChildren", "{\"ParentId\":\"ou-ab12-99999999\",\"ChildType\":\"ACCOUNT\"}");
        Assert.Equal("ParentNotFoundException", b2.GetProperty("__type").GetString());
        var (_, b3, _) = await Call("ListOrganizationalUnitsForParent", "{\"ParentId\":\"r-zz99\"}");
        Assert.Equal("ParentNotFoundException", b3.GetProperty("__type").GetString());
        var (_, b4, _) = await Call("DescribeAccount", "{\"AccountId\":\"999988887777\"}");
        Assert.Equal("AccountNotFoundException", b4.GetProperty("__type").GetString());
        var (_, b5, _) = await Call("ListParents", "{\"ChildId\":\"999988887777\"}");
        Assert.Equal("ChildNotFoundException", b5.GetProperty("__type").GetString());
        var (_, b6, _) = await Call("ListChildren", "{\"ParentId\":\"r-ab12\",\"ChildType\":\"BOGUS\"}");
        Assert.Equal("InvalidInputException", b6.GetProperty("__type").GetString());
        Assert.Equal("You specified an invalid value.", b6.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task ListAccountsForParent_MaxResults_PaginatesWithNextToken()
    {
        var (_, p1, _) = await Call("ListAccounts", "{\"MaxResults\":2}");
        Assert.Equal(2, p1.GetProperty("Accounts").GetArrayLength());
        var token = p1.GetProperty("NextToken").GetString();
        var (_, p2, _) = await Call("ListAccounts", $"{{\"MaxResults\":2,\"NextToken\":\"{token}\"}}");
        Assert.Equal(2, p2.GetProperty("Accounts").GetArrayLength());
        Assert.False(p2.TryGetProperty("NextToken", out _));
    }
}

public sealed class JsonProtocolTests : IClassFixture<DemoEmulatorFixture>
{
    private readonly DemoEmulatorFixture _f;
    public JsonProtocolTests(DemoEmulatorFixture f) => _f = f;

    [Fact]
    public async Task JsonRequest_InvalidBody_SerializationException400()
    {
        var (status, body, _) = await Clients.Json(_f.Host, "TrentService.DescribeKey", "{not json", service: "kms");
        Assert.Equal(400, status);
        Assert.Equal("SerializationException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task JsonRequest_MissingAuthorization_MissingAuthenticationToken403()
    {
        var (status, body, _) = await Clients.Json(_f.Host, "TrentService.DescribeKey", "{\"KeyId\":\"alias/aws/ebs\"}", key: null, service: "kms");
        Assert.Equal(403, status);
        Assert.Equal("MissingAuthenticationTokenException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task JsonRequest_UnknownKey_UnrecognizedClientException()
    {
        var (status, body, _) = await Clients.Json(_f.Host, "AWSOrganizationsV20161128.DescribeOrganization", "{}", key: "AKIANOBODY0000000000");
        Assert.Equal(400, status);
        Assert.Equal("UnrecognizedClientException", body.GetProperty("__type").GetString());
        Assert.Equal("The security token included in the request is invalid.", body.GetProperty("Message").GetString());
    }

    [Fact]
    public async Task KmsError_UsesLowercaseMessageMember()
    {
        var (status, body, res) = await Clients.Json(_f.Host, "TrentService.DescribeKey", "{\"KeyId\":\"fake-key-id\"}", service: "kms");
        Assert.Equal(400, status);
        Assert.Equal("NotFoundException", body.GetProperty("__type").GetString());
        Assert.Equal("Invalid keyId 'fake-key-id'", body.GetProperty("message").GetString());
        Assert.Equal("application/x-amz-json-1.1", res.Content.Headers.ContentType!.MediaType);
    }
}
