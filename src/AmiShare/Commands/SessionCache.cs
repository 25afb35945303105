using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using AmiShare.Engine.Aws;
using AmiShare.Engine.Sharing;

namespace AmiShare.Commands
{
    /// <summary>
    /// The command's one cache of engine services by session input: records with the same session parameters reuse the
    /// resolved session and its service (the factory keeps one service per resolved <see cref="AwsSession.CacheKey"/>).
    /// Keys compare strings by value and objects (-Credential, $StoredAWSCredentials) by reference, so two different
    /// credential objects never share an entry, whatever their hash codes.
    /// </summary>
    internal sealed class SessionCache
    {
        private readonly Dictionary<Key, AmiShareService> _services = new Dictionary<Key, AmiShareService>();

        /// <summary>The service for <paramref name="parameters"/>, made by <paramref name="create"/> on first use.</summary>
        public AmiShareService Get(SessionParameters parameters, Func<SessionParameters, AmiShareService> create)
        {
            var key = new Key(parameters);
            if (!_services.TryGetValue(key, out AmiShareService service))
            {
                service = create(parameters);
                _services.Add(key, service);
            }

            return service;
        }

        private sealed class Key : IEquatable<Key>
        {
            private readonly string[] _text;
            private readonly object[] _objects;

            public Key(SessionParameters p)
            {
                _text = new[]
                {
                    p.Region?.ToString(), p.AccessKey, p.SecretKey, p.SessionToken, p.ProfileName, p.ProfileLocation, p.EndpointUrl,
                    p.StoredRegion?.ToString(), p.Proxy?.Hostname, p.Proxy?.Port.ToString(), p.Proxy == null ? null : string.Join(",", p.Proxy.BypassList),
                    p.Proxy?.BypassOnLocal.ToString(),
                };
                _objects = new[] { p.Credential, p.StoredCredentials, p.Proxy?.Credentials };
            }

            public bool Equals(Key other)
            {
                if (other == null)
                {
                    return false;
                }

                for (int i = 0; i < _text.Length; i++)
                {
                    if (!string.Equals(_text[i], other._text[i], StringComparison.Ordinal))
                    {
                        return false;
                    }
                }

                for (int i = 0; i < _objects.Length; i++)
                {
                    // Credential objects compare by reference: the same object is the same identity.
                    object a = _objects[i], b = other._objects[i];
                    if (!ReferenceEquals(a, b))
                    {
                        return false;
                    }
                }

                return true;
            }

            public override bool Equals(object obj) => Equals(obj as Key);

            public override int GetHashCode()
            {
                // Only the text parts: object identity is checked in Equals, so a hash collision costs one comparison.
                int hash = 17;
                foreach (string s in _text)
                {
                    hash = (hash * 31) + (s == null ? 0 : StringComparer.Ordinal.GetHashCode(s));
                }

                return hash;
            }
        }
    }
}
