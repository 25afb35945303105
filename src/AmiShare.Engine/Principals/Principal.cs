using System;

namespace AmiShare.Engine.Principals
{
    /// <summary>
    /// One launch-permission principal: an immutable, validated value. Build it with
    /// <see cref="PrincipalParser"/>; two principals are equal when type and value are equal
    /// (ARNs compare case-sensitively, as EC2 does).
    /// </summary>
    public sealed class Principal : IEquatable<Principal>
    {
        /// <summary>The one public principal, group <c>all</c>.</summary>
        public static readonly Principal Everyone = new Principal(PrincipalType.Public, "all");

        internal Principal(PrincipalType type, string value, bool unresolved = false)
        {
            Type = type;
            Value = value ?? throw new ArgumentNullException(nameof(value));
            IsUnresolved = unresolved;
        }

        /// <summary>
        /// True for a bare organization or OU id (o-…, ou-…) that must still be turned into its full ARN
        /// through AWS Organizations (AmiShareService.ResolvePrincipalsAsync) before EC2 sees it.
        /// </summary>
        public bool IsUnresolved { get; }

        /// <summary>A bare o-…/ou-… id awaiting resolution to its ARN.</summary>
        public static Principal Unresolved(PrincipalType type, string bareId) => new Principal(type, bareId, true);

        /// <summary>Whether this is an account, the public group, an organization or an OU.</summary>
        public PrincipalType Type { get; }

        /// <summary>The canonical wire value: account id, <c>all</c>, organization ARN or OU ARN.</summary>
        public string Value { get; }

        /// <summary>Makes an account principal from an id that is already known to be 12 ASCII digits (e.g. read from EC2).</summary>
        public static Principal FromWire(PrincipalType type, string value) => new Principal(type, value);

        /// <summary>True when <paramref name="other"/> has the same type, value (ordinal) and resolution state.</summary>
        public bool Equals(Principal other) => other != null && other.Type == Type && other.IsUnresolved == IsUnresolved && string.Equals(other.Value, Value, StringComparison.Ordinal);

        /// <inheritdoc/>
        public override bool Equals(object obj) => Equals(obj as Principal);

        /// <inheritdoc/>
        public override int GetHashCode() => ((int)Type * 397) ^ StringComparer.Ordinal.GetHashCode(Value);

        /// <summary>The wire value (<see cref="Value"/>).</summary>
        public override string ToString() => Value;
    }
}
