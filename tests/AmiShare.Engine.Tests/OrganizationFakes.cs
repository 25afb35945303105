using AmiShare.Engine;
using AmiShare.Engine.Gateways;

namespace AmiShare.Engine.Tests;

/// <summary>
/// An in-memory Organizations tree shaped like the demo world: o-abc1234567 (management 123456789012), root r-ab12,
/// Engineering ou-ab12-11111111 (111122223333) ⊃ Platform ou-ab12-33333333 (444455556666), Finance ou-ab12-22222222 (555566667777).
/// </summary>
internal sealed class FakeOrganizationsGateway : IOrganizationsGateway
{
    public const string OrgId = "o-abc1234567";
    public const string Management = "123456789012";
    public const string OrgArn = "arn:aws:organizations::123456789012:organization/o-abc1234567";
    public const string Engineering = "ou-ab12-11111111";
    public const string Finance = "ou-ab12-22222222";
    public const string Platform = "ou-ab12-33333333";

    public static string OuArn(string ou) => $"arn:aws:organizations::{Management}:ou/{OrgId}/{ou}";

    /// <summary>child id → parent id (r-… is the root).</summary>
    public Dictionary<string, string> Parents { get; } = new()
    {
        [Management] = "r-ab12",
        [Engineering] = "r-ab12",
        [Finance] = "r-ab12",
        [Platform] = Engineering,
        ["111122223333"] = Engineering,
        ["444455556666"] = Platform,
        ["555566667777"] = Finance,
    };

    public Dictionary<string, string> OuNames { get; } = new() { [Engineering] = "Engineering", [Finance] = "Finance", [Platform] = "Platform" };

    public List<string> Calls { get; } = new();

    /// <summary>When set, every call throws it.</summary>
    public AmiShareException? FailAll { get; set; }

    /// <summary>When set, every call but DescribeOrganization throws it (a member account that is not the management account).</summary>
    public AmiShareException? FailAllButDescribeOrganization { get; set; }

    public bool Disposed { get; private set; }

    public static AmiShareException NotInUse(string? subject = null) =>
        OrganizationsErrorCatalog.Map("DescribeOrganization", subject!, 400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");

    public static AmiShareException AccessDenied(string operation = "ListParents", string? subject = null) =>
        OrganizationsErrorCatalog.Map(operation, subject!, 400, "AccessDeniedException", "You don't have permissions to access this resource.");

    public Task<OrganizationInfo> DescribeOrganizationAsync(CancellationToken cancellationToken)
    {
        Calls.Add("DescribeOrganization");
        if (FailAll != null)
        {
            throw FailAll;
        }

        return Task.FromResult(new OrganizationInfo { Id = OrgId, Arn = OrgArn, ManagementAccountId = Management });
    }

    public Task<OrganizationalUnitInfo> DescribeOrganizationalUnitAsync(string ouId, CancellationToken cancellationToken)
    {
        Calls.Add("DescribeOrganizationalUnit " + ouId);
        Check();
        if (!OuNames.TryGetValue(ouId, out string? name))
        {
            throw OrganizationsErrorCatalog.Map("DescribeOrganizationalUnit", ouId, 400, "OrganizationalUnitNotFoundException", "You specified an organizational unit that doesn't exist.");
        }

        return Task.FromResult(new OrganizationalUnitInfo { Id = ouId, Arn = OuArn(ouId), Name = name });
    }

    public Task<IReadOnlyList<OrganizationParent>> ListParentsAsync(string childId, CancellationToken cancellationToken)
    {
        Calls.Add("ListParents " + childId);
        cancellationToken.ThrowIfCancellationRequested();
        Check();
        if (!Parents.TryGetValue(childId, out string? parent))
        {
            throw OrganizationsErrorCatalog.Map("ListParents", childId, 400, "ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
        }

        IReadOnlyList<OrganizationParent> list = new[] { new OrganizationParent { Id = parent, Type = parent.StartsWith("r-") ? "ROOT" : "ORGANIZATIONAL_UNIT" } };
        return Task.FromResult(list);
    }

    public void Dispose() => Disposed = true;

    private void Check()
    {
        if (FailAll != null)
        {
            throw FailAll;
        }

        if (FailAllButDescribeOrganization != null)
        {
            throw FailAllButDescribeOrganization;
        }
    }
}
