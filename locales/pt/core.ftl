## common

common-save = Guardar
common-cancel = Cancelar
# A size in bytes: $n is already written with the decimal mark below.
common-size = { $n } { $unit ->
        [kb] KB
        [mb] MB
        [gb] GB
        [tb] TB
       *[b] B
    }
# Between the items of a list: "6e A, 5e B".
common-list_separator = {", "}
common-decimal_mark = ,

## nav

nav-label = Menu principal
nav-dashboard = Início
nav-admin = Administração
nav-logout = Terminar sessão
nav-languages = Línguas
nav-ca = Confiar no certificado deste servidor

## role

role-admin = Administrador
role-staff = Secretaria e serviços escolares
role-teacher = Professor
role-pupil = Aluno
role-parent = Encarregado de educação

## role_plural

role_plural-admin = Administradores
role_plural-staff = Secretaria e serviços escolares
role_plural-teacher = Professores
role_plural-pupil = Alunos
role_plural-parent = Encarregados de educação

## login

login-title = Iniciar sessão
login-username = Nome de utilizador
login-password = Palavra-passe
login-submit = Iniciar sessão
login-forgot = Esqueceu-se da palavra-passe? Peça uma nova ao seu professor ou à secretaria.

## password

password-title = Alterar a palavra-passe
password-forced = Boas-vindas! Antes de começar, escolha a sua própria palavra-passe para substituir a que lhe foi dada.
password-current = Palavra-passe atual
password-new = Nova palavra-passe
password-confirm = Nova palavra-passe (outra vez)
password-rules = Pelo menos 8 caracteres, e diferente do seu nome de utilizador. Uma frase curta é fácil de memorizar.
password-submit = Alterar a palavra-passe

## dashboard

dashboard-title = Início
dashboard-hello = Olá, { $name }
dashboard-services = Serviços
dashboard-profile = A minha conta
dashboard-my_classes = A minha turma
dashboard-teachers = Professores
dashboard-teaching = As turmas em que leciono
dashboard-pupil_count =
    { $n ->
        [one] { $n } aluno
       *[other] { $n } alunos
    }
dashboard-children = Os meus educandos
dashboard-school = A escola

## profile

profile-title = A minha conta
profile-username = Nome de utilizador
profile-name = Nome
profile-role = Função
profile-change_password = Alterar a minha palavra-passe
profile-language = Língua
profile-language_default = A língua da escola

## ca

ca-title = Confiar neste servidor
ca-why = O servidor da escola usa o seu próprio certificado de segurança. Instale-o uma vez em cada computador ou telemóvel: o navegador passará a ligar-se de forma segura, sem avisos.
ca-download = Descarregar o certificado
ca-windows = Abra o ficheiro descarregado, escolha “Instalar certificado”, depois “Máquina local”, e coloque-o em “Autoridades de Certificação de Raiz Fidedigna”.
ca-macos = Abra o ficheiro descarregado: o Acesso a Porta-chaves adiciona-o. Faça duplo clique sobre ele no porta-chaves “Sistema”, abra “Confiança” e escolha “Confiar sempre”.
ca-linux = Copie o ficheiro para /usr/local/share/ca-certificates/cartable.crt e execute “sudo update-ca-certificates”. No Firefox: Definições, Certificados, Importar.
ca-android = Abra Definições, Segurança, Encriptação e credenciais, Instalar um certificado, Certificado da AC, e escolha o ficheiro descarregado.
ca-ios = Abra o ficheiro descarregado e instale o perfil nas Definições. Depois vá a Definições, Geral, Informações, Definições de confiança de certificados e ative a confiança total para este certificado.

## flash

flash-saved = Guardado.
flash-password_changed = A sua palavra-passe foi alterada.

## error

error-title = Algo não está bem
error-back_home = Voltar à página inicial
error-login_required = Inicie sessão primeiro.
error-forbidden = Não tem permissão para ver esta página ou para fazer isto.
error-not_found = Esta página não existe.
error-method_not_allowed = Este endereço não aceita este tipo de pedido.
error-csrf = Este formulário expirou ou não veio deste site. Volte atrás, recarregue a página e tente novamente.
error-too_large = O que enviou é demasiado grande (o limite é de { $limit } KiB).
error-internal = Ocorreu um erro no servidor. Nada foi alterado. Tente novamente; se voltar a acontecer, avise a secretaria.
error-bad_form = O formulário não foi preenchido corretamente. Verifique-o e tente novamente.
error-bad_query = Este endereço não é válido.
error-login_invalid = Nome de utilizador desconhecido ou palavra-passe errada.
error-login_throttled =
    { $minutes ->
        [one] Demasiadas tentativas falhadas. Aguarde { $minutes } minuto e tente novamente.
       *[other] Demasiadas tentativas falhadas. Aguarde { $minutes } minutos e tente novamente.
    }
error-login_throttled_short = Demasiadas tentativas falhadas. Aguarde alguns minutos e tente novamente.
error-password_current_wrong = A sua palavra-passe atual não está certa.
error-password_mismatch = As duas novas palavras-passe não são iguais.
error-password_unchanged = A nova palavra-passe tem de ser diferente da atual.
error-password_too_short = A palavra-passe tem de ter pelo menos 8 caracteres.
error-password_too_long = A palavra-passe é demasiado longa (200 caracteres no máximo).
error-password_contains_username = A palavra-passe não pode conter o seu nome de utilizador.
error-username_taken = Este nome de utilizador já está a ser usado.
error-username_invalid = Um nome de utilizador tem entre 2 e 32 caracteres: letras minúsculas sem acentos, algarismos, pontos, hífenes ou sublinhados.
error-name_missing = O nome é obrigatório.
error-name_too_long = Este nome é demasiado longo.
error-class_exists = Já existe uma turma com este nome neste ano letivo.
error-wrong_role = Esta conta não tem a função certa para isso.

## clock

clock-unsynced = O relógio do sistema não está sincronizado: os inícios de sessão noutras aplicações podem falhar se a hora estiver errada. Verifique a hora de rede (NTP) do servidor.
clock-unknown = Não se sabe se o relógio do sistema está sincronizado.
clock-synced = sincronizado
clock-behind = O relógio do sistema está atrasado em relação ao último evento registado: a hora está errada, e os inícios de sessão noutras aplicações vão falhar enquanto não for acertada.
clock-label = Relógio
