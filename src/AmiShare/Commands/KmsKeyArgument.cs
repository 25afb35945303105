using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using AmiShare.Engine;

namespace AmiShare.Commands
{
    /// <summary>-KmsKeyId of the copying cmdlets (Publish-Ami, Copy-SharedAmi): one key as text, or a hashtable of region = key.</summary>
    internal static class KmsKeyArgument
    {
        /// <summary>
        /// Reads <paramref name="value"/> into <paramref name="key"/> (one key) or <paramref name="keys"/> (region = key); both
        /// stay null when it is null. Anything else is refused with <paramref name="remedy"/>.
        /// </summary>
        public static void Read(object value, string remedy, out string key, out IReadOnlyDictionary<string, string> keys)
        {
            key = null;
            keys = null;
            object bare = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (bare == null)
            {
                return;
            }

            if (bare is IDictionary table)
            {
                var read = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in table)
                {
                    read[Text(entry.Key)] = Text(entry.Value);
                }

                keys = read;
                return;
            }

            if (bare is string text)
            {
                key = text;
                return;
            }

            throw new AmiShareException(
                ErrorIds.KmsKeyNotUsable,
                AmiShareErrorKind.InvalidArgument,
                $"-KmsKeyId got a {bare.GetType().Name}, which is neither a key nor a table of region = key.",
                bare,
                remedy);
        }

        /// <summary>A parameter value as text (a PSObject's base object; null is empty).</summary>
        public static string Text(object value)
        {
            object bare = value is PSObject p ? p.BaseObject : value;
            return bare == null ? string.Empty : Convert.ToString(bare, CultureInfo.InvariantCulture);
        }
    }
}
